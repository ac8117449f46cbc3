import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pubcredit.accounts.models import ApiToken, Department, District
from pubcredit.accounts.services import department_create, token_authenticate, token_create, token_revoke
from pubcredit.audit.models import AuditEvent
from pubcredit.rules.errors import DomainError

pytestmark = pytest.mark.django_db


def test_zibo_districts_are_loaded_from_the_rulebook():
    names = set(District.objects.values_list("name", flat=True))
    assert {"张店区", "淄川区", "博山区", "临淄区", "周村区", "桓台县", "高青县", "沂源县",
            "高新区", "经济开发区", "文昌湖区"} <= names
    assert District.objects.get(name="张店区").division_code == "370303"


def test_department_create_city_and_district(department, district_department):
    assert department.level == "city" and department.district is None
    assert district_department.level == "district" and district_department.district.name == "张店区"
    assert AuditEvent.objects.filter(action="department.create").count() == 2


@pytest.mark.parametrize("kwargs, code", [
    ({"uscc": "11370300MB2851234A"}, "uscc.checksum"),
    ({"uscc": "1137030"}, "uscc.length"),
    ({"district": "不存在区"}, "district.unknown"),
    ({"code": "SCJGJ"}, "department.duplicate_code"),
])
def test_department_create_refuses_bad_input(department, system_actor, kwargs, code):
    args = {"code": "NEW", "name": "新部门", "uscc": "11370300MB285199XX", "district": None} | kwargs
    if "uscc" not in kwargs:
        args["uscc"] = "12370300MB28512990"[:17]
        from pubcredit.rules.identifiers import uscc_check_char
        args["uscc"] += uscc_check_char(args["uscc"])
    before = Department.objects.count()
    with pytest.raises(DomainError) as err:
        department_create(actor=system_actor, **args)
    assert err.value.code == code
    assert Department.objects.count() == before


def test_create_department_command(capsys):
    call_command("create_department", "--code", "SWJ", "--name", "国家税务总局淄博市税务局",
                 "--uscc", "11370300MB2851234B", "--district", "张店区")
    assert Department.objects.get(code="SWJ").district.code == "zhangdian"
    with pytest.raises(CommandError, match="uscc.checksum"):
        call_command("create_department", "--code", "X", "--name", "X", "--uscc", "11370300MB2851234A")


def test_create_token_prints_only_the_token_and_stores_a_hash(department, capsys):
    call_command("create_token", "--department", department.code)
    plaintext = capsys.readouterr().out.strip()
    assert plaintext.startswith("pc_") and "\n" not in plaintext
    token = ApiToken.objects.get()
    assert plaintext not in token.secret_hash and token.secret_hash != plaintext
    assert token_authenticate(plaintext) == token
    assert ApiToken.objects.get().last_used_at is not None


def test_create_token_unknown_department():
    with pytest.raises(CommandError, match="department.unknown"):
        call_command("create_token", "--department", "NOPE")


def test_revoked_or_wrong_token_is_refused(department, system_actor):
    issued = token_create(department=department, actor=system_actor)
    assert token_authenticate(issued.plaintext[:-1] + "x") is None
    assert token_authenticate("garbage") is None
    token_revoke(token=issued.token, reason="泄露", actor=system_actor)
    assert token_authenticate(issued.plaintext) is None
