import pytest


@pytest.fixture
def reviewer(db, department, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    return user_create(username="reviewer", password="Reviewer#2026", role=Role.REVIEWER, display_name="认定审核人",
                       department=department, actor=system_actor)
