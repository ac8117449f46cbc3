"""The list part of ``pubcredit seed_demo``: entries through the collection pipeline that show on the public site,
removals and expiries, identification cases at different stages, checks with feedback — deterministic and small."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from pubcredit.audit.services import SystemActor, verify_chain
from pubcredit.ingest.models import Batch
from pubcredit.lists.models import IdentificationCase, ListEntry
from pubcredit.disclosure import selectors
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.sanctions.models import Check, CheckFeedback

pytestmark = pytest.mark.django_db


def test_seed_demo_produces_list_entries_that_show_on_the_public_site(client, capsys, today):
    call_command("seed_demo", "--subjects", "120", "--records", "200", "--seed", "7")
    assert "demo lists:" in capsys.readouterr().out
    entries = ListEntry.objects.all()
    assert set(entries.values_list("list_code", flat=True)) == {
        "court_dishonest_debtor", "samr_serious_violation", "business_anomaly", "major_tax_violator", "tax_a_level",
        "integrity_honor"}
    assert 25 <= entries.count() <= 40  # small: the demo stays quick
    # through the collection pipeline: batches of the list classes, records, then entries, each record assessed
    assert Batch.objects.filter(class_code="court_dishonest_debtor", channel="demo").exists()
    assert all(e.record.class_code == e.list_code for e in entries.select_related("record"))
    assert PublicityState.objects.filter(class_code="court_dishonest_debtor", state="published").exists()
    removed = dict(entries.filter(status="removed").values_list("removal_reason").annotate(n=Count("id"))
                   .values_list("removal_reason", "n"))
    assert removed == {"repaired": 2, "court_deleted": 1, "expired": 2}
    assert entries.filter(subject__kind="natural_person", list_code="court_dishonest_debtor").exists()
    assert set(IdentificationCase.objects.values_list("state", flat=True)) == {"draft", "notified", "pushed"}
    assert Check.objects.filter(hit_count__gt=0).count() == 3 and Check.objects.filter(hit_count=0).count() == 1
    assert CheckFeedback.objects.filter(applied=False).exclude(note="").exists()
    assert verify_chain().ok

    # the public site shows them
    overview = {item["spec"].code: item["shown"] for item in selectors.list_overview()}
    assert overview["court_dishonest_debtor"] >= 5 and overview["tax_a_level"] >= 4
    assert sum(overview.values()) == entries.filter(status="in_force").count()
    page = client.get(reverse("portal:list", args=["court_dishonest_debtor"])).content.decode()
    shown = entries.filter(list_code="court_dishonest_debtor", status="in_force").first()
    assert shown.decision_no in page
    subject_page = client.get(reverse("portal:subject", args=[shown.subject_id])).content.decode()
    assert shown.decision_no in subject_page and "失信被执行人" in subject_page
    gone = entries.get(removal_reason="court_deleted")
    assert gone.decision_no not in page
    uscc = entries.filter(list_code="samr_serious_violation").first().subject.uscc
    api = client.get(f"/api/v1/public/subjects/{uscc}").json()
    assert "samr_serious_violation" in {e["list_code"] for e in api["lists"]}


def test_demo_list_rows_are_a_function_of_the_seed(today):
    from pubcredit.demo.lists import _Seeder
    from pubcredit.demo.records import ensure_departments_and_users

    ensure_departments_and_users(SystemActor("test"))

    def rows(seed):
        seeder = _Seeder(subjects=120, seed=seed, actor=SystemActor("test"))
        seeder.court()
        seeder.samr()
        seeder.anomaly()
        seeder.tax_a()
        return dict(seeder.pushes)

    assert rows(7) == rows(7) and rows(7) != rows(8)
    assert CreditRecord.objects.count() == 0  # building rows writes nothing
