"""Who may read figures is answered once (accounts.access, issue 12 item 4): the department figures and the
commitments figures ask the same functions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from pubcredit.accounts import access
from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department, User
from pubcredit.commitments import selectors as commitments
from pubcredit.figures import selectors as figures


def test_department_and_commitments_figures_ask_the_same_rule():
    assert figures.may_read_department_figures is access.may_read_department_figures
    assert commitments.may_read_department_figures is access.may_read_department_figures


def test_a_district_operator_without_a_district_reads_no_figures_of_departments_without_one():
    """Before, the commitments figures let such an account into the city page (scoped to departments with no
    district) and into those departments' pages."""
    lost = User(username="lost", role=Role.DISTRICT_OPERATOR)
    city_department = Department(pk=1, code="SCJGJ", name="淄博市市场监督管理局")
    assert access.city_figures_scope(lost) is None and not access.may_read_city_figures(lost)
    assert not access.may_read_department_figures(lost, city_department)
    with pytest.raises(PermissionDenied):
        commitments.city_figures(viewer=lost)


def test_an_enterprise_account_reads_no_department_figures():
    enterprise = User(username="ent", role=Role.ENTERPRISE)
    enterprise.department_id = 1
    assert not access.may_read_department_figures(enterprise, Department(pk=1, code="SCJGJ", name="x"))
