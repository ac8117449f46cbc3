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
