"""A natural person's profile (自然人, issue 22 Bad input): read by a bank only within the person's signed
authorisation, registered by the bank with the document's reference and hash; without it, refused and nothing read."""

from __future__ import annotations

import base64
import hashlib

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.finance.models import PersonAuthorisation, ProfileRead
from tests.factories import person_penalty, resident_id
from tests.finance.helpers import submit

pytestmark = pytest.mark.django_db

PERSON = resident_id(9)
DOCUMENT = "%PDF-1.7 张三签名的授权书".encode()
AUTHORISE = "/api/v1/finance/person-authorisations"
READ = "/api/v1/finance/person-profiles"


@pytest.fixture
def person_record(department, system_actor, today):
    """张三 has an administrative penalty (not published: a natural person's record, yet in force)."""
    submit("admin_penalty", [person_penalty(9)], department, system_actor)


def _authorise(api, **overrides):
    body = {"id_number": PERSON, "person_name": "张三", "scope": ["admin_penalty", "court_dishonest_debtor"],
            "purpose": "loan_application", "purpose_note": "个人经营贷", "starts_on": "2026-11-20",
            "ends_on": "2026-12-31", "document_ref": "SQ-2026-0009",
            "document_base64": base64.b64encode(DOCUMENT).decode()}
    return api.post(AUTHORISE, body | overrides)


def test_a_persons_profile_without_the_persons_authorisation_is_refused_and_nothing_read(bank_api, person_record):
    answer = bank_api.post(READ, {"id_number": PERSON, "reference": "GR-1"})
    assert answer.status_code == 403 and answer.json()["code"] == "finance.not_authorised"
    assert "自然人未授权" in answer.json()["message"] and "sections" not in answer.json()
    read = ProfileRead.objects.get()
    assert read.outcome == "refused" and read.person_masked == "370303********" + PERSON[-4:] and read.uscc == ""
    event = AuditEvent.objects.get(action="finance.refuse")
    assert PERSON not in str(event.data) and event.object_id == read.person_masked


def test_the_persons_signed_authorisation_lets_the_bank_read_its_scope_only(bank_api, person_record):
    granted = _authorise(bank_api)
    assert granted.status_code == 201, granted.content
    body = granted.json()
    assert body["state"] == "in_force" and body["document_sha256"] == hashlib.sha256(DOCUMENT).hexdigest()
    assert PERSON not in str(AuditEvent.objects.get(action="finance.person_authorise").data)
    profile = bank_api.post(READ, {"id_number": PERSON})
    assert profile.status_code == 200, profile.content
    sections = {s["code"]: s for s in profile.json()["sections"]}
    assert set(sections) == {"admin_penalty", "court_dishonest_debtor"}
    assert sections["admin_penalty"]["items"][0]["publicity_state"] == "withheld"
    assert "id_number" not in str(sections) and PERSON not in profile.content.decode()
    outside = bank_api.post(READ, {"id_number": PERSON, "sections": ["credit_commitment"]})
    assert outside.status_code == 403 and outside.json()["code"] == "finance.outside_scope"


def test_a_persons_authorisation_is_checked_and_revocable(bank_api, department_api, person_record):
    monthly = _authorise(bank_api, scope=["social_insurance_payment"], document_base64="")
    assert monthly.status_code == 400
    assert {f["code"] for f in monthly.json()["fields"]} == {"finance.scope_kind", "finance.document_required"}
    assert _authorise(bank_api, id_number="370303199001010000").json()["code"] == "finance.malformed_id_number"
    assert _authorise(department_api).status_code == 403
    assert PersonAuthorisation.objects.count() == 0
    authorisation_id = _authorise(bank_api).json()["authorisation_id"]
    revoked = bank_api.post(f"{AUTHORISE}/{authorisation_id}/revoke", {"reason": "本人书面撤回"})
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    after = bank_api.post(READ, {"id_number": PERSON})
    assert after.status_code == 403 and after.json()["code"] == "finance.authorisation_revoked"


def test_one_banks_person_authorisation_does_not_open_the_profile_to_another(bank_api, other_bank, system_actor,
                                                                           client, person_record):
    from pubcredit.accounts.services import token_create
    from tests.finance.conftest import _api

    _authorise(bank_api)
    other = _api(client, token_create(department=other_bank, actor=system_actor))
    assert other.post(READ, {"id_number": PERSON}).json()["code"] == "finance.not_authorised"
