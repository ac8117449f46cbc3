"""Commitments on the public site (issue 17 item 4): published with the subject and in 信用承诺公示, searchable by
matter; natural persons' commitments — and their breaches — follow the natural-person rule (domain/rules.md §1:
individuals' items are in principle not published; NDRC Order 36 第十二条第三款 for negative ones): never on the
site, in its search or its API, while an individual business's commitment is published like an organisation's."""

import pytest
from django.urls import reverse

from pubcredit.commitments.services import commitment_accept, commitment_breach_record
from pubcredit.publicity.models import PublicityState
from tests.commitments.helpers import commitment
from tests.factories import resident_id, uscc

pytestmark = pytest.mark.django_db


def person(n: int, **overrides) -> dict:
    return commitment(n, subject_name=f"王承诺{n}", subject_category="自然人", subject_uscc=None, id_type="身份证",
                      id_number=resident_id(n), **overrides)


def test_natural_person_rule_a_persons_commitment_is_withheld_and_nowhere_on_the_public_site(
        client, department, system_actor, today):
    shown = commitment_accept(department=department, values=commitment(1), actor=system_actor)
    hidden = commitment_accept(department=department, values=person(2), actor=system_actor)
    assert PublicityState.objects.get(record=shown).published
    state = PublicityState.objects.get(record=hidden)
    assert not state.published and state.state == "withheld" and "自然人" in state.reason_zh

    listing = client.get(reverse("portal:commitments")).content.decode()
    assert "淄博承诺测试有限公司1" in listing and "王承诺2" not in listing
    by_matter = client.get(reverse("portal:commitments"), {"matter": "food_business_license"}).content.decode()
    assert "淄博承诺测试有限公司1" in by_matter and "王承诺2" not in by_matter
    assert "王承诺2" not in client.get(reverse("portal:search"), {"q": "王承诺"}).content.decode()
    assert client.get(reverse("portal:subject", args=[hidden.subject_id])).status_code == 404
    assert client.get("/api/v1/public/search", {"q": "王承诺"}).json()["results"] == []


def test_natural_person_rule_a_persons_breach_is_never_published_whatever_the_severity(client, department,
                                                                                     system_actor, today):
    """NDRC Order 36 第十二条第三款: a natural person's negative information is not published."""
    record = commitment_accept(department=department, values=person(3), actor=system_actor)
    outcome = commitment_breach_record(record=record, department=department, evidence="核查发现承诺内容不实",
                                       decided_on="2026-11-19", severity="serious", actor=system_actor)
    state = PublicityState.objects.get(record=outcome.breach_record)
    assert not state.published and state.state == "withheld"
    assert client.get(reverse("portal:subject", args=[record.subject_id])).status_code == 404


def test_an_individual_business_commitment_is_published_like_an_organisations(client, department, system_actor,
                                                                              today):
    record = commitment_accept(department=department, values=commitment(
        4, subject_name="张店区老王食品店", subject_category="个体工商户", subject_uscc=uscc(4, registrar="92")),
        actor=system_actor)
    assert PublicityState.objects.get(record=record).published
    page = client.get(reverse("portal:subject", args=[record.subject_id])).content.decode()
    assert "张店区老王食品店" in page and "信用承诺" in page and "履约中" in page


def test_a_published_breach_is_on_the_public_subject_page_and_in_the_public_credit_report(client, department,
                                                                                         system_actor, today):
    """Breach → negative record → what publicity publishes is what the site and the report (public version) show."""
    from pubcredit.reports.selectors import public_content

    record = commitment_accept(department=department, values=commitment(5), actor=system_actor)
    commitment_breach_record(record=record, department=department, evidence="核查发现无冷藏设施，与承诺不符",
                             decided_on="2026-11-19", severity="general", actor=system_actor)
    page = client.get(reverse("portal:subject", args=[record.subject_id])).content.decode()
    assert "违背信用承诺" in page and "核查发现无冷藏设施，与承诺不符" in page and "已违诺" in page
    report = public_content(record.subject)
    breach_rows = [row for section in report["sections"] if "违背信用承诺" in section["title"]
                   for item in section["items"] for row in item["rows"]]
    assert ["决定文书号", "淄市监承诺〔2026〕5号-违诺"] in breach_rows
