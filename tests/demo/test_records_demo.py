import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pubcredit.audit.services import verify_chain
from pubcredit.integrity.models import IntegrityGrant
from pubcredit.records.models import CreditRecord
from pubcredit.rules import identifiers
from pubcredit.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(CreditRecord.objects.values_list("decision_no", "subject__name", "decision_date", "on_time"))


def test_seed_demo_is_realistic_and_goes_through_services(capsys, today):
    call_command("seed_demo", "--subjects", "120", "--records", "400", "--seed", "7")
    out = capsys.readouterr().out
    assert "operator" in out and "Operator#2026" in out
    assert "lingdao" in out and IntegrityGrant.objects.filter(user__username="lingdao", role="leader").exists()
    shuanggongshi = CreditRecord.objects.filter(class_code__in=["admin_penalty", "admin_license"])
    assert Subject.objects.count() == 120 and shuanggongshi.count() == 400
    assert set(Subject.objects.values_list("kind", flat=True)) == {"legal_person", "individual_business", "natural_person"}
    for code in Subject.objects.exclude(uscc=None).values_list("uscc", flat=True):
        assert identifiers.check_uscc(code).ok
    assert Subject.objects.filter(kind="legal_person", district__isnull=False).exists()
    # every organisation has its registered industry (行业门类), a person none
    assert not Subject.objects.exclude(kind="natural_person").filter(industry__isnull=True).exists()
    assert not Subject.objects.filter(kind="natural_person", industry__isnull=False).exists()
    assert {"C", "F", "H"} <= set(Subject.objects.values_list("industry", flat=True))
    late = shuanggongshi.filter(on_time=False).count()
    assert 0 < late < 100  # a realistic share of late submissions
    classes = set(CreditRecord.objects.values_list("class_code", flat=True))
    assert {"admin_penalty", "admin_license"} < classes  # and the list classes (tests/lists/test_demo.py)
    assert verify_chain().ok  # every write was audited through the services


def test_demo_subjects_are_a_function_of_seed_and_index():
    from pubcredit.demo.records import SubjectFactory

    assert [SubjectFactory(5)(i) for i in range(40)] == [SubjectFactory(5)(i) for i in range(40)]
    assert [SubjectFactory(5)(i) for i in range(40)] != [SubjectFactory(6)(i) for i in range(40)]
    codes = [s.uscc or s.id_number for s in (SubjectFactory(5)(i) for i in range(2000))]
    assert len(set(codes)) == 2000


def test_seed_demo_if_empty_skips(capsys, today):
    call_command("seed_demo", "--subjects", "50", "--records", "100", "--seed", "3")
    first = _snapshot()
    call_command("seed_demo", "--if-empty")
    assert _snapshot() == first and "not generated again" in capsys.readouterr().out


def test_seed_demo_refuses_bad_arguments():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--subjects", "0")
