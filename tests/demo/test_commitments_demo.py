"""The commitments part of ``pubcredit seed_demo``: commitments through the services, some verified, some overdue,
breaches published as Order 36 says, and the public commitment listing shows them."""

import pytest
from django.core.management import call_command

from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_commitments_verified_overdue_and_breached(client, capsys, today):
    call_command("seed_demo", "--subjects", "120", "--records", "100", "--seed", "7")
    assert "demo commitments:" in capsys.readouterr().out
    commitments = CreditRecord.objects.filter(class_code="credit_commitment")
    statuses = {r.fields["status"] for r in commitments}
    assert commitments.count() >= 30 and {"in_force", "fulfilled", "breached"} <= statuses
    breaches = CreditRecord.objects.filter(class_code="commitment_breach")
    assert breaches.count() == 2
    untrue = breaches.get(fields__serious_untrue="yes")
    assert PublicityState.objects.get(record=untrue).repairable_from is None  # Order 36 art. 25: no early end
    page = client.get("/public/commitments/").content.decode()
    assert page.count("承诺事项") >= 10 and "食品经营许可" in page
    breached = commitments.get(fields__status="breached", decision_no=untrue.fields["commitment_no"])
    assert "已违诺" in client.get(f"/public/subjects/{breached.subject_id}/").content.decode()
