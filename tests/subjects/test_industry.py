"""Organisations' industry (行业门类) from the registration data: set in bulk through ``subjects_industry_set`` or the
``subject_industries`` command, all or nothing with every bad row named, each change audited."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from pubcredit.audit.models import AuditEvent
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.models import Subject
from pubcredit.subjects.services import SubjectRef, subjects_industry_set, subjects_resolve
from tests.factories import uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(system_actor):
    subjects_resolve([SubjectRef("legal_person", f"淄博行业测试有限公司{n}", uscc(n)) for n in (1, 2)],
                     actor=system_actor)


def industry(n):
    return Subject.objects.get(uscc=uscc(n)).industry


def test_industries_are_set_from_letters_names_and_codes_and_audited(organisations, system_actor):
    result = subjects_industry_set(rows=[{"uscc": uscc(1), "industry": "C2614"},
                                         {"uscc": uscc(2), "industry": "批发和零售业"},
                                         {"uscc": uscc(3), "industry": "E"}], actor=system_actor, reason="登记注册信息")
    assert (industry(1), industry(2)) == ("C", "F")
    assert (result.updated, result.unchanged, result.not_found) == (2, 0, [uscc(3)])  # 3 is no subject: nothing set
    events = AuditEvent.objects.filter(action="subject.industry")
    assert events.count() == 2 and {e.reason for e in events} == {"登记注册信息"}
    again = subjects_industry_set(rows=[{"uscc": uscc(1), "industry": "C"}], actor=system_actor, reason="再次导入")
    assert (again.updated, again.unchanged) == (0, 1) and events.count() == 2  # unchanged: nothing written


def test_a_bad_row_refuses_the_whole_set_naming_every_bad_row(organisations, system_actor):
    with pytest.raises(DomainError) as err:
        subjects_industry_set(rows=[{"uscc": uscc(1), "industry": "C"}, {"uscc": uscc(2), "industry": "化工"},
                                    {"uscc": "91370303MA0000000X", "industry": "C"}], actor=system_actor, reason="登记")
    assert [p.field for p in err.value.problems] == ["rows.2.industry", "rows.3.uscc"]
    assert "GB/T 4754-2017" in err.value.problems[0].message_zh
    assert industry(1) is None  # all or nothing
    with pytest.raises(DomainError) as err:
        subjects_industry_set(rows=[], actor=system_actor, reason=" ")
    assert err.value.field == "reason"


def test_the_command_reads_a_gb18030_registration_export(organisations, tmp_path, capsys):
    path = tmp_path / "登记注册.csv"
    path.write_bytes(f"企业名称,统一社会信用代码,行业代码\n甲公司,{uscc(1)},H6210\n乙公司,{uscc(2)},G5990\n"
                     .encode("gb18030"))
    call_command("subject_industries", str(path), reason="市场监管局登记注册信息")
    assert (industry(1), industry(2)) == ("H", "G")
    assert "行业已更新 2 个主体" in capsys.readouterr().out
    path.write_text(f"统一社会信用代码,行业门类\n{uscc(1)},Z\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rows.1.industry"):
        call_command("subject_industries", str(path), reason="登记")
    assert industry(1) == "H"
