import pytest

from pubcredit.accounts.choices import Role


@pytest.fixture
def public_actor():
    from pubcredit.audit.services import SystemActor

    return SystemActor("public:arrears")


@pytest.fixture
def handler(db, district_department, system_actor):
    """A clerk of the handling department (张店区市场监督管理局)."""
    from pubcredit.accounts.services import user_create

    return user_create(username="handler", password="Handler#2026", role=Role.PROVIDER, display_name="清欠专员",
                       department=district_department, actor=system_actor)


@pytest.fixture
def leader(db, department, system_actor, operator):
    from pubcredit.accounts.services import user_create
    from pubcredit.integrity.services import integrity_grant

    user = user_create(username="leader", password="Leader#2026", role=Role.BUSINESS_USER, display_name="分管领导",
                       department=department, actor=system_actor)
    integrity_grant(user=user, role="leader", actor=operator)
    return user


@pytest.fixture
def complaint_past_plan(public_actor, operator, handler):
    """A 机关 of Zhangdian owes 50,000 yuan; the plan agreed with the handling department ended on 2026-10-30."""
    import datetime as dt

    from pubcredit.integrity import services
    from pubcredit.rules import clock
    from tests.integrity.helpers import complaint_input

    with clock.pinned(dt.date(2026, 9, 1)):
        complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
        services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
        services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed="50000", note="",
                                          verified_on=dt.date(2026, 9, 1), actor=handler)
        services.arrears_plan_agree(complaint=complaint, plan_last_day=dt.date(2026, 10, 30), plan_note="一次付清",
                                    actor=handler)
    return complaint
