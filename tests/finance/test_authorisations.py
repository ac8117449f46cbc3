"""信易贷 authorisations (企业授权) and the bank's profile API: grant, use, expire, revoke; scope; every read kept."""

from __future__ import annotations

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.finance import selectors
from pubcredit.finance.models import ProfileRead
from pubcredit.finance.services import authorisation_revoke
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.finance.conftest import ENTERPRISE_USCC

pytestmark = pytest.mark.django_db

PROFILE = f"/api/v1/finance/profiles/{ENTERPRISE_USCC}"


def _codes(exc: DomainError) -> set[str]:
    return {p.code for p in exc.problems}


def test_grant_is_kept_audited_and_shown_to_the_enterprise(grant, bank):
    authorisation = grant()
    assert authorisation.uscc == ENTERPRISE_USCC and authorisation.institution == bank
    assert authorisation.scope == ["admin_penalty", "social_insurance_payment"]
    event = AuditEvent.objects.get(action="finance.authorise")
    assert event.object_id == str(authorisation.authorisation_id)
    assert event.actor_label.endswith("qiye1")
    assert list(selectors.authorisations_for_enterprise(uscc=ENTERPRISE_USCC)) == [authorisation]


def test_authorising_for_another_enterprise_is_refused(grant):
    from tests.factories import uscc

    with pytest.raises(DomainError) as caught:
        grant(uscc=uscc(2))
    assert caught.value.code == "finance.other_enterprise" and caught.value.field == "uscc"


def test_authorising_a_bank_that_does_not_exist_is_refused(grant):
    with pytest.raises(DomainError) as caught:
        grant(institution="NO-SUCH-BANK")
    assert caught.value.code == "finance.unknown_institution"


def test_authorising_a_government_department_is_refused(grant, department):
    with pytest.raises(DomainError) as caught:
        grant(institution=department.code)
    assert caught.value.code == "finance.not_a_financial_institution"


def test_scope_purpose_and_term_are_checked_field_by_field(grant, today):
    with pytest.raises(DomainError) as caught:
        grant(scope=["admin_penalty", "no_such_class"], purpose="gift", starts_on=today - dt.timedelta(days=1),
              ends_on=today + dt.timedelta(days=400))
    assert _codes(caught.value) == {"finance.unknown_scope", "finance.purpose", "finance.term_past",
                                    "finance.term_too_long"}
    with pytest.raises(DomainError) as caught:
        grant(scope=[], ends_on=today - dt.timedelta(days=3), starts_on=today)
    assert _codes(caught.value) == {"finance.scope_required", "finance.term_order"}


def test_lifecycle_grant_use_expire(grant, bank_api, today):
    """Within the term the bank reads; the day after the last day it is refused as ended."""
    authorisation = grant(ends_on=today + dt.timedelta(days=10))
    answer = bank_api.get(PROFILE, reference="DK-2026-001")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["authorisation_id"] == str(authorisation.authorisation_id)
    assert body["as_of"] and body["basic"]["name"] == "淄博测试化工有限公司1"
    with clock.pinned(today + dt.timedelta(days=10)):  # the last day is inclusive
        assert bank_api.get(PROFILE).status_code == 200
    with clock.pinned(today + dt.timedelta(days=11)):
        refused = bank_api.get(PROFILE)
    assert refused.status_code == 403 and refused.json()["code"] == "finance.authorisation_expired"


def test_lifecycle_revoked_mid_way(grant, bank_api, account):
    authorisation = grant()
    assert bank_api.get(PROFILE).status_code == 200
    authorisation_revoke(account=account, authorisation=authorisation, reason="贷款已结清", actor=account.user)
    refused = bank_api.get(PROFILE)
    assert refused.status_code == 403 and refused.json()["code"] == "finance.authorisation_revoked"
    assert AuditEvent.objects.filter(action="finance.revoke", object_id=str(authorisation.authorisation_id)).exists()
    with pytest.raises(DomainError) as caught:
        authorisation_revoke(account=account, authorisation=authorisation, actor=account.user)
    assert caught.value.code == "finance.already_revoked"


def test_a_term_not_yet_started_is_refused(grant, bank_api, today):
    grant(starts_on=today + dt.timedelta(days=5), ends_on=today + dt.timedelta(days=30))
    refused = bank_api.get(PROFILE)
    assert refused.status_code == 403 and refused.json()["code"] == "finance.authorisation_not_started"


def test_without_any_authorisation_the_bank_gets_403_and_nothing(account, bank_api):
    refused = bank_api.get(PROFILE)
    assert refused.status_code == 403
    assert refused.json()["code"] == "finance.not_authorised"
    assert "sections" not in refused.json()


def test_an_authorisation_for_another_bank_does_not_open_the_profile(grant, other_bank, bank_api):
    grant(institution=other_bank.code)
    assert bank_api.get(PROFILE).json()["code"] == "finance.not_authorised"


def test_profile_answers_only_the_scope(grant, bank_api):
    grant(scope=["social_insurance_payment"])
    body = bank_api.get(PROFILE).json()
    assert [s["code"] for s in body["sections"]] == ["social_insurance_payment"]  # no penalties, no evaluation
    series = body["sections"][0]["series"]
    assert [p["month"] for p in series] == ["2026-08", "2026-09", "2026-10"]
    assert [p["payment_status_zh"] for p in series] == ["按时足额缴纳", "欠缴", "按时足额缴纳"]
    outside = bank_api.get(PROFILE, sections="social_insurance_payment,admin_penalty")
    assert outside.status_code == 403 and outside.json()["code"] == "finance.outside_scope"
    assert "admin_penalty" in outside.json()["message"]


def test_penalties_come_with_their_publicity_state(grant, bank_api):
    grant(scope=["admin_penalty", "evaluation_class"])
    body = bank_api.get(PROFILE, sections="admin_penalty").json()
    [section] = body["sections"]
    [penalty] = section["items"]
    assert penalty["decision_no"] == "淄市监罚〔2026〕1号"
    assert penalty["publicity_state"] == "published" and penalty["publicity_state_zh"] == "公示中"
    assert "legal_rep_id_number" not in penalty["values"]


def test_a_government_token_is_not_a_bank(grant, department_api):
    grant()
    refused = department_api.get(PROFILE)
    assert refused.status_code == 403 and refused.json()["code"] == "finance.not_a_financial_institution"


def test_a_malformed_code_is_a_400(bank_api, account):
    answer = bank_api.get("/api/v1/finance/profiles/91370303MA0000010X")
    assert answer.status_code == 400 and answer.json()["code"] == "finance.malformed_uscc"


def test_the_enterprise_sees_every_read_served_or_refused(grant, bank_api, account):
    bank_api.get(PROFILE)  # before any authorisation: refused
    authorisation = grant()
    bank_api.get(PROFILE, reference="DK-2026-001")
    reads = list(selectors.reads_for_enterprise(uscc=ENTERPRISE_USCC))
    assert [(r.outcome, r.refusal_code) for r in reads] == [("served", ""), ("refused", "finance.not_authorised")]
    assert reads[0].authorisation == authorisation and reads[0].reference == "DK-2026-001"
    assert reads[0].institution.name == "淄博银行张店支行"
    assert AuditEvent.objects.filter(action="finance.read").count() == 1
    assert AuditEvent.objects.filter(action="finance.refuse").count() == 1
    assert ProfileRead.objects.count() == 2


def test_bank_lists_its_authorisations_with_state(grant, bank_api, today):
    grant()
    grant(starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=9))
    body = bank_api.get("/api/v1/finance/authorisations").json()
    assert [a["state_zh"] for a in body] == ["未到起始日", "有效"]
