"""Integrity files (诚信档案) of civil servants and judicial and law-enforcement staff: only the personnel office of
the person's own organisation reads them, every read (and refused read) is audited, identity numbers are encrypted
and masked, nothing is public; the appointment check answers with the records that matter and nothing else."""

import datetime as dt

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import files, services
from pubcredit.integrity.models import IntegrityFile
from pubcredit.integrity.rulebook import files_book
from pubcredit.rules.errors import DomainError
from pubcredit.rules.integrity import FileEntryFacts, appointment_check
from tests.factories import resident_id

pytestmark = pytest.mark.django_db
PERSON = resident_id(31)


@pytest.fixture
def personnel(db, department, system_actor, operator):
    user = user_create(username="hr", password="Personnel#2026", role=Role.BUSINESS_USER, display_name="人事科",
                       department=department, actor=system_actor)
    services.integrity_grant(user=user, role="personnel_office", actor=operator)
    return user


@pytest.fixture
def other_personnel(db, district_department, system_actor, operator):
    user = user_create(username="hr2", password="Personnel#2026", role=Role.BUSINESS_USER, display_name="区人事科",
                       department=district_department, actor=system_actor)
    services.integrity_grant(user=user, role="personnel_office", actor=operator)
    return user


@pytest.fixture
def staff_file(today, personnel):
    found = files.integrity_file_create(name="李某", id_number=PERSON, staff_kind="law_enforcement",
                                        position="执法大队队员", actor=personnel)
    files.integrity_file_entry_add(file=found, kind="demerit", title="记过处分", decided_on=dt.date(2026, 6, 1),
                                   detail="违规办理许可", actor=personnel)
    files.integrity_file_entry_add(file=found, kind="warning", title="警告", decided_on=dt.date(2025, 1, 1),
                                   actor=personnel)
    files.integrity_file_entry_add(file=found, kind="commendation", title="优秀执法人员", decided_on=dt.date(2026, 3, 1),
                                   actor=personnel)
    return found


def test_identity_numbers_are_encrypted_and_masked(staff_file):
    row = IntegrityFile.objects.get()
    assert PERSON not in row.id_encrypted and PERSON not in row.id_hash
    assert row.id_masked == PERSON[:6] + "********" + PERSON[-4:]
    assert all(PERSON not in str(e.data) for e in AuditEvent.objects.all())


def test_the_own_personnel_office_reads_and_every_read_is_audited(staff_file, personnel):
    files.integrity_file_read(file_id=staff_file.pk, viewer=personnel)
    files.integrity_file_read(file_id=staff_file.pk, viewer=personnel)
    reads = AuditEvent.objects.filter(action="integrity_file.read", data__allowed=True)
    assert reads.count() == 2 and reads.first().actor == personnel


@pytest.mark.parametrize("who", ["other_personnel", "operator", "provider", "leader"])
def test_nobody_else_reads_a_file_and_the_attempt_is_audited(staff_file, who, request):
    viewer = request.getfixturevalue(who)
    with pytest.raises(DomainError) as exc:
        files.integrity_file_read(file_id=staff_file.pk, viewer=viewer)
    assert exc.value.code == "integrity_file.not_allowed"
    assert AuditEvent.objects.filter(action="integrity_file.read", data__allowed=False, actor=viewer).count() == 1


def test_a_superuser_does_not_read_files_either(staff_file, system_actor):
    boss = user_create(username="root", password="Root#2026-long", role="", is_superuser=True, actor=system_actor)
    with pytest.raises(DomainError):
        files.integrity_file_read(file_id=staff_file.pk, viewer=boss)


def test_another_office_may_not_write_into_the_file(staff_file, other_personnel):
    with pytest.raises(DomainError) as exc:
        files.integrity_file_entry_add(file=staff_file, kind="warning", title="x", decided_on=dt.date(2026, 1, 1),
                                       actor=other_personnel)
    assert exc.value.code == "integrity_file.not_allowed" and staff_file.entries.count() == 3


def test_appointment_check_gives_the_records_that_matter_and_nothing_else(staff_file, other_personnel):
    # the appointing body's personnel office asks; the commendation and the expired warning stay hidden
    answer = files.appointment_check_run(id_number=PERSON, purpose="拟任执法科副科长", actor=other_personnel)
    assert answer.found and not answer.clear
    assert [r.code for r in answer.reasons] == ["demerit", "commitment_missing"]
    assert "影响期至2027-06-01" in answer.reasons[0].message_zh
    assert all("优秀" not in r.message_zh and "违规办理许可" not in r.message_zh for r in answer.reasons)
    event = AuditEvent.objects.get(action="integrity_file.appointment_check")
    assert event.reason == "拟任执法科副科长" and event.data["clear"] is False


def test_commitment_signed_on_appointment_removes_the_caution(staff_file, personnel):
    files.integrity_commitment_sign(file=staff_file, signed_on=dt.date(2026, 11, 2),
                                    content="严格依法履职，廉洁自律，如有违反愿承担相应责任", actor=personnel)
    answer = files.appointment_check_run(id_number=PERSON, purpose="拟任", actor=personnel)
    assert [r.code for r in answer.reasons] == ["demerit"]


def test_appointment_check_for_a_person_without_a_file(today, personnel):
    answer = files.appointment_check_run(id_number=resident_id(99), purpose="拟任", actor=personnel)
    assert not answer.found and answer.clear and answer.verdict_zh == "平台未建立此人的诚信档案"


def test_appointment_check_is_for_personnel_offices_only(today, operator):
    with pytest.raises(DomainError) as exc:
        files.appointment_check_run(id_number=PERSON, purpose="拟任", actor=operator)
    assert exc.value.code == "integrity_file.check_not_allowed"


def test_influence_periods_from_the_rulebook_end_the_bar():
    facts = [FileEntryFacts("demerit", dt.date(2026, 6, 1)), FileEntryFacts("commitment", dt.date(2026, 1, 1))]
    assert [r.code for r in appointment_check(facts, today=dt.date(2027, 5, 31), book=files_book())] == ["demerit"]
    assert appointment_check(facts, today=dt.date(2027, 6, 1), book=files_book()) == []
    removed = [FileEntryFacts("dishonest_debtor", dt.date(2020, 1, 1), removed_on=dt.date(2026, 1, 1)),
               FileEntryFacts("commitment", dt.date(2026, 1, 1))]
    assert appointment_check(removed, today=dt.date(2026, 6, 1), book=files_book()) == []


def test_pages_per_role_and_nothing_public(client, staff_file, personnel, other_personnel, operator):
    client.force_login(personnel)
    page = client.get(f"/integrity/files/{staff_file.pk}/").content.decode()
    assert "记过处分" in page and PERSON not in page and staff_file.id_masked in page
    client.force_login(other_personnel)
    assert client.get(f"/integrity/files/{staff_file.pk}/").status_code == 403
    assert "李某" not in client.get("/integrity/files/").content.decode()
    client.force_login(operator)
    assert client.get("/integrity/files/").status_code == 403
    client.logout()
    assert client.get(f"/integrity/files/{staff_file.pk}/").status_code == 302  # to the login page
    assert client.get("/public/integrity/files/").status_code == 404
    from pubcredit.disclosure.selectors import subject_search_public

    assert subject_search_public(query="李某", page=1).results == []  # files are no credit subjects
