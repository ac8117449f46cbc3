"""Who may see what (访问控制). One place for the scoping rules that selectors apply.

- credit-centre operators (and superusers): the whole city;
- district operators: records about subjects registered in their district or submitted by its departments;
- data providers and reviewers: the records their own department submitted (谁产生、谁负责 / 谁认定、谁修复);
- business users: every active record, because they check subjects before approving (应查必查).
Natural persons' identity numbers are searchable only by roles that check or decide about people.

Figures (统计): who may read a department's figures and the city's comparison, one answer for every system's
figures pages (department submissions, commitments; joint punishment's pages switch at the next merge).
"""

from __future__ import annotations

from django.db.models import Q

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import ApiToken

_NOTHING = Q(pk__in=[])


def is_city_operator(user) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") == Role.OPERATOR)


def record_scope(user) -> Q:
    """Filter on CreditRecord for what ``user`` may read."""
    if not getattr(user, "is_authenticated", False):
        return _NOTHING
    if is_city_operator(user):
        return Q()
    role = user.role
    if role == Role.DISTRICT_OPERATOR and user.district_id:
        return Q(subject__district_id=user.district_id) | Q(department__district_id=user.district_id)
    if role in (Role.PROVIDER, Role.REVIEWER) and user.department_id:
        return Q(department_id=user.department_id)
    if role == Role.BUSINESS_USER:
        return Q(status="active")
    return _NOTHING


def subject_scope(user) -> Q | None:
    """Filter on Subject for what ``user`` may find in a search or lookup; None: no limit (issue 19).

    District operators find the subjects registered in their district and those its departments reported on (the
    same line as :func:`record_scope`); a natural person of another district stays out of their searches.
    """
    if getattr(user, "role", "") == Role.DISTRICT_OPERATOR and not is_city_operator(user):
        if not user.district_id:
            return _NOTHING
        return Q(district_id=user.district_id) | Q(records__department__district_id=user.district_id)
    return None


def may_search_by_id_number(user) -> bool:
    """Looking a person up by identity number is a read of personal data: only roles that need it."""
    return is_city_operator(user) or getattr(user, "role", "") in (
        Role.DISTRICT_OPERATOR, Role.BUSINESS_USER, Role.REVIEWER)


def may_view_person(user, subject) -> bool:
    """Whether ``user`` may open a natural person's page (it is audited either way)."""
    if is_city_operator(user):
        return True
    if getattr(user, "role", "") == Role.DISTRICT_OPERATOR:
        return subject.district_id == user.district_id
    return getattr(user, "role", "") in (Role.BUSINESS_USER, Role.REVIEWER, Role.PROVIDER)


def may_read_department_figures(viewer, department) -> bool:
    """A department's figures (部门统计): city operators every department; district operators their district's
    departments; a department's providers, reviewers and business users, and its API token, their own department."""
    if isinstance(viewer, ApiToken):
        return viewer.is_active and viewer.department_id == department.pk
    if not getattr(viewer, "is_authenticated", False):
        return False
    if is_city_operator(viewer):
        return True
    role = getattr(viewer, "role", "")
    if role == Role.DISTRICT_OPERATOR:
        return bool(viewer.district_id) and department.district_id == viewer.district_id
    if role in (Role.PROVIDER, Role.REVIEWER, Role.BUSINESS_USER):
        return bool(viewer.department_id) and viewer.department_id == department.pk
    return False


def city_figures_scope(viewer) -> tuple[Q, str] | None:
    """The departments ``viewer`` may compare in a city figures page (a filter on Department) and the scope's name
    (全市 or the district's); None when it may not (tokens, anyone but operators, a district operator with no
    district)."""
    if isinstance(viewer, ApiToken) or not getattr(viewer, "is_authenticated", False):
        return None
    if is_city_operator(viewer):
        return Q(), "全市"
    if getattr(viewer, "role", "") == Role.DISTRICT_OPERATOR and viewer.district_id:
        return Q(district_id=viewer.district_id), str(viewer.district)
    return None


def may_read_city_figures(viewer) -> bool:
    """The city's figures (全市统计): city operators, and district operators for their district."""
    return city_figures_scope(viewer) is not None


def enterprise_account(user):
    """The enterprise account (企业用户) ``user`` logs in with, or None for staff and anonymous visitors."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != Role.ENTERPRISE:
        return None
    from pubcredit.accounts.models import EnterpriseAccount

    return EnterpriseAccount.objects.filter(user_id=user.pk).first()


def is_staff_user(user) -> bool:
    """Whether ``user`` may use the staff workbench: every authenticated account except enterprise accounts."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", "") != Role.ENTERPRISE


def is_financial_institution(department) -> bool:
    from pubcredit.accounts.choices import DepartmentKind

    return getattr(department, "kind", "") == DepartmentKind.FINANCIAL_INSTITUTION


def enterprise_login_required(view):
    """Decorator for public-site pages of an enterprise account: anyone else goes to the enterprise login."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = enterprise_account(request.user)
        if account is None:
            return redirect_to_login(request.get_full_path(), reverse("enterprise:login"))
        request.enterprise_account = account
        return view(request, *args, **kwargs)

    return wrapped
