"""The integrity functions page (政务诚信岗位, /integrity/grants/): credit-centre operators grant a staff user 领导,
人事部门, 宣传编辑 or 宣传审核 and withdraw it with a reason, both audited; the user's next request follows; nobody
else opens the page; an enterprise account or a bank officer is never offered nor accepted."""

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import financial_institution_create, user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import services
from pubcredit.integrity.models import IntegrityGrant
from pubcredit.rules.errors import DomainError
from tests.factories import uscc

pytestmark = pytest.mark.django_db

PAGE = "/integrity/grants/"
LEDGER = "/integrity/arrears/"


@pytest.fixture
def clerk(department, system_actor):
    return user_create(username="clerk", password="Clerk#2026!", role=Role.BUSINESS_USER, display_name="王科长",
                       department=department, actor=system_actor)


def test_an_operator_grants_and_revokes_a_function_and_the_user_follows(client, operator, clerk):
    reader = client.__class__()
    reader.force_login(clerk)
    assert reader.get("/integrity/bodies/").status_code == 403  # no function yet
    client.force_login(operator)
    assert 'id="grants-link"' in client.get("/integrity/bodies/").content.decode()
    page = client.get(PAGE).content.decode()
    assert "尚未授予岗位" in page and "王科长（淄博市市场监督管理局）" in page

    granted = client.post(PAGE, {"user": clerk.pk, "role": "leader"}, follow=True)
    assert "已授予王科长领导（查看清欠统计）岗位" in granted.content.decode()
    grant = IntegrityGrant.objects.get(user=clerk)
    assert grant.role == "leader" and grant.granted_by == operator
    listed = granted.content.decode().split('id="grants"', 1)[1].split("</table>", 1)[0]
    assert "王科长" in listed and "淄博市市场监督管理局" in listed and "领导（查看清欠统计）" in listed
    assert reader.get("/integrity/bodies/").status_code == 200  # a leader reads the government pages now
    assert reader.get(PAGE).status_code == 403  # but grants nothing

    revoke = f"{PAGE}{grant.pk}/revoke/"
    missing = client.post(revoke, {f"grant-{grant.pk}-reason": ""})
    assert missing.status_code == 200 and "这个字段是必填项" in missing.content.decode()
    assert IntegrityGrant.objects.filter(pk=grant.pk).exists()  # nothing withdrawn without a reason
    done = client.post(revoke, {f"grant-{grant.pk}-reason": "岗位调整，不再分管清欠工作"}, follow=True)
    assert "已撤销王科长的领导（查看清欠统计）岗位" in done.content.decode()
    assert not IntegrityGrant.objects.exists()
    assert reader.get("/integrity/bodies/").status_code == 403  # withdrawn at the next request
    event = AuditEvent.objects.get(action="integrity.revoke")
    assert event.actor_id == operator.pk and event.object_id == str(clerk.pk)
    assert event.reason == "岗位调整，不再分管清欠工作" and event.data == {"role": "leader"} and event.before_hash


def test_a_form_without_a_choice_says_which_field(client, operator, clerk):
    client.force_login(operator)
    refused = client.post(PAGE, {"user": clerk.pk, "role": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    refused = client.post(PAGE, {"user": "", "role": "editor"})
    assert refused.status_code == 200 and not IntegrityGrant.objects.exists()


def test_only_credit_centre_operators_open_the_page(client, operator, clerk, district_department, system_actor):
    district = user_create(username="zd", password="District#2026", role=Role.DISTRICT_OPERATOR,
                           display_name="张店区信用办", district=district_department.district, actor=system_actor)
    client.force_login(district)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"user": clerk.pk, "role": "leader"}).status_code == 403
    assert 'id="grants-link"' not in client.get("/integrity/bodies/").content.decode()
    grant = services.integrity_grant(user=clerk, role="editor", actor=operator)
    assert client.post(f"{PAGE}{grant.pk}/revoke/", {f"grant-{grant.pk}-reason": "x"}).status_code == 403
    assert IntegrityGrant.objects.filter(pk=grant.pk).exists()
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the login


def test_enterprise_accounts_and_bank_officers_never_hold_a_function(client, operator, system_actor):
    bank = financial_institution_create(code="ZBBANK", name="淄博银行", uscc=uscc(901, registrar="91"),
                                        actor=system_actor)
    officer = user_create(username="banker", password="Banker#2026!", role=Role.BUSINESS_USER, display_name="信贷员",
                          department=bank, actor=system_actor)
    client.force_login(operator)
    assert "信贷员" not in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"user": officer.pk, "role": "leader"}).status_code == 200
    assert not IntegrityGrant.objects.exists()
    with pytest.raises(DomainError) as caught:
        services.integrity_grant(user=officer, role="leader", actor=operator)
    assert caught.value.code == "integrity.not_staff"


def test_revoking_needs_an_operator_and_a_reason(operator, clerk, system_actor):
    grant = services.integrity_grant(user=clerk, role="personnel_office", actor=operator)
    with pytest.raises(DomainError) as refused:
        services.integrity_revoke(grant=grant, reason="调岗", actor=system_actor)
    assert refused.value.code == "integrity.operator_only"
    with pytest.raises(DomainError) as blank:
        services.integrity_revoke(grant=grant, reason="  ", actor=operator)
    assert blank.value.code == "integrity.reason_required" and IntegrityGrant.objects.filter(pk=grant.pk).exists()
