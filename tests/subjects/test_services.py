import pytest
from django.core.exceptions import PermissionDenied

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.rules.errors import DomainError
from pubcredit.subjects import crypto
from pubcredit.subjects.models import Subject
from pubcredit.subjects.selectors import subject_get, subject_search
from pubcredit.subjects.services import SubjectRef, confirmed_identifiers, identifier_confirm, subject_resolve
from tests.factories import resident_id, uscc

pytestmark = pytest.mark.django_db


def test_organisation_keyed_by_uscc_with_district_from_its_division(system_actor):
    subject = subject_resolve(SubjectRef("legal_person", "淄博甲化工有限公司", uscc=uscc(1, "370305")), actor=system_actor)
    again = subject_resolve(SubjectRef("legal_person", "淄博甲化工有限公司", uscc=uscc(1, "370305")), actor=system_actor)
    assert again.pk == subject.pk and Subject.objects.count() == 1
    assert subject.district.name == "临淄区"
    other_city = subject_resolve(SubjectRef("legal_person", "济南乙公司", uscc=uscc(2, "370102")), actor=system_actor)
    assert other_city.district is None
    assert AuditEvent.objects.filter(action="subject.create").count() == 2


def test_rename_keeps_name_history(system_actor):
    code = uscc(3)
    subject_resolve(SubjectRef("legal_person", "旧名称有限公司", uscc=code), actor=system_actor)
    subject = subject_resolve(SubjectRef("legal_person", "新名称有限公司", uscc=code), actor=system_actor)
    subject.refresh_from_db()
    assert subject.name == "新名称有限公司"
    assert list(subject.names.values_list("name", flat=True)) == ["旧名称有限公司", "新名称有限公司"]
    assert AuditEvent.objects.filter(action="subject.rename", object_id=str(subject.pk)).exists()


def test_natural_person_id_is_encrypted_hashed_and_masked(system_actor):
    number = resident_id(17)
    person = subject_resolve(SubjectRef("natural_person", "张三", id_number=number), actor=system_actor)
    person.refresh_from_db()
    assert person.uscc is None
    assert number not in person.id_encrypted and crypto.decrypt(person.id_encrypted) == number
    assert person.id_hash == crypto.lookup_hash(number) and number not in person.id_hash
    assert person.id_masked == number[:6] + "********" + number[-4:]
    assert person.display_code == person.id_masked
    assert person.district.name == "张店区"


def test_id_lookup_is_audited_and_limited_to_authorised_roles(system_actor, operator, provider):
    number = resident_id(18)
    person = subject_resolve(SubjectRef("natural_person", "李四", id_number=number), actor=system_actor)
    assert subject_search(viewer=operator, query=number) == [person]
    read = AuditEvent.objects.filter(action="subject.read_person", object_id=str(person.pk))
    assert read.count() == 1 and read.get().actor_label == "user:operator"
    assert number not in str(read.get().data)
    with pytest.raises(PermissionDenied):
        subject_search(viewer=provider, query=number)


def test_opening_a_person_page_is_audited_and_scoped(system_actor, operator):
    person = subject_resolve(SubjectRef("natural_person", "王五", id_number=resident_id(19, "370305")), actor=system_actor)
    outsider = user_create(username="zd", password="District#2026", role=Role.DISTRICT_OPERATOR,
                           district=__import__("pubcredit.accounts.models", fromlist=["District"]).District.objects.get(code="zhangdian"),
                           actor=system_actor)
    assert subject_get(viewer=operator, pk=person.pk) == person
    assert AuditEvent.objects.filter(action="subject.read_person").count() == 1
    with pytest.raises(PermissionDenied):
        subject_get(viewer=outsider, pk=person.pk)


def test_search_by_name_substring_and_uscc(system_actor, operator):
    subject_resolve(SubjectRef("legal_person", "淄博鑫源陶瓷有限公司", uscc=uscc(21)), actor=system_actor)
    subject_resolve(SubjectRef("legal_person", "淄博华瑞医药有限公司", uscc=uscc(22)), actor=system_actor)
    assert [s.name for s in subject_search(viewer=operator, query="陶瓷")] == ["淄博鑫源陶瓷有限公司"]
    assert [s.name for s in subject_search(viewer=operator, query="华瑞")] == ["淄博华瑞医药有限公司"]
    assert [s.name for s in subject_search(viewer=operator, query=uscc(22).lower())] == ["淄博华瑞医药有限公司"]


def test_confirmed_identifier_allowlist(operator):
    assert "91350100M0001TGQXM" not in confirmed_identifiers()
    with pytest.raises(DomainError) as err:
        identifier_confirm(kind="uscc", value="91350100M0001TGQXM", reason=" ", actor=operator)
    assert err.value.code == "identifier.reason_required"
    identifier_confirm(kind="uscc", value="91350100M0001TGQXM", reason="福建早期试点赋码，经发证机关核实", actor=operator)
    assert "91350100M0001TGQXM" in confirmed_identifiers()
    with pytest.raises(DomainError) as err:
        identifier_confirm(kind="uscc", value="91310110666007217T", reason="x", actor=operator)
    assert err.value.code == "identifier.already_valid"
    bad_person = "321083197812162110"
    identifier_confirm(kind="resident_id", value=bad_person, reason="公安机关核实", actor=operator)
    assert bad_person in confirmed_identifiers()
    from pubcredit.subjects.models import ConfirmedIdentifier
    assert not ConfirmedIdentifier.objects.filter(value=bad_person).exists()  # stored as a hash only


def test_a_district_operator_finds_only_the_subjects_of_its_district(system_actor, operator, department,
                                                                    district_department):
    # issue 19: the search listed other districts' natural persons
    from pubcredit.accounts.models import District

    zhangdian = District.objects.get(code="zhangdian")
    clerk = user_create(username="zd2", password="District#2026", role=Role.DISTRICT_OPERATOR, district=zhangdian,
                        actor=system_actor)
    own = subject_resolve(SubjectRef("natural_person", "张店张三", id_number=resident_id(31, "370303")),
                          actor=system_actor)
    other = subject_resolve(SubjectRef("natural_person", "临淄张三", id_number=resident_id(32, "370305")),
                            actor=system_actor)
    company = subject_resolve(SubjectRef("legal_person", "淄博外区张三商贸有限公司", uscc=uscc(33, "370305")),
                              actor=system_actor)
    assert own.district == zhangdian and other.district != zhangdian
    assert [s.pk for s in subject_search(viewer=clerk, query="张三")] == [own.pk]
    assert subject_search(viewer=clerk, query=resident_id(32, "370305")) == []
    assert subject_search(viewer=clerk, query=uscc(33, "370305")) == [] and subject_get(viewer=clerk, pk=company.pk) is None
    assert {s.pk for s in subject_search(viewer=operator, query="张三")} == {own.pk, other.pk, company.pk}
    reads = AuditEvent.objects.filter(action="subject.read_person", actor_label="user:zd2")
    assert reads.count() == 0  # the other district's person was never read
