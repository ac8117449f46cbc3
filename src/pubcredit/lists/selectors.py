"""Reading red and black lists, scoped to what the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department
from pubcredit.lists.choices import EntryStatusChoice
from pubcredit.lists.models import IdentificationCase, ListChange, ListEntry
from pubcredit.lists.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules import lists as list_rules

_NOTHING = Q(pk__in=[])


def may_identify(user) -> bool:
    """Identifying units (data providers and reviewers of a department) and credit-centre operators run cases."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_city_operator(user) or (getattr(user, "role", "") in (Role.PROVIDER, Role.REVIEWER)
                                      and bool(user.department_id))


def may_remove_entry(user, entry: ListEntry) -> bool:
    """Removal (repair, revocation, court deletion) by the operator or the pushing department's reviewer."""
    if is_city_operator(user):
        return True
    return getattr(user, "role", "") == Role.REVIEWER and user.department_id == entry.department_id


def entry_scope(user) -> Q:
    """Filter on ListEntry: operators everything; district operators their district's subjects and departments;
    providers and reviewers their department's entries; business users the entries in force (应查必查)."""
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
        return Q(status=EntryStatusChoice.IN_FORCE)
    return _NOTHING


def entry_list(*, viewer, list_code: str = "", status: str = "", late: bool = False,
               department: Department | None = None) -> QuerySet[ListEntry]:
    qs = ListEntry.objects.filter(entry_scope(viewer)).select_related("subject", "department")
    if list_code:
        qs = qs.filter(list_code=list_code)
    if status:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(pushed_late=True)
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("-decision_date", "-id")


def entry_get(*, viewer, pk: int) -> ListEntry | None:
    return ListEntry.objects.filter(entry_scope(viewer)).select_related("subject", "department", "record").filter(pk=pk).first()


_LOOKUP = {"<=": "lte", ">=": "gte", ">": "gt"}


def in_force_filter(day: dt.date) -> Q:
    """Entries on a list on ``day``, made from ``rules.lists.IN_FORCE_BOUNDS``: a removal takes effect on its day, a
    term ends after its last day even before the daily job ran."""
    condition = Q()
    for bound in list_rules.IN_FORCE_BOUNDS:
        holds = Q(**{f"{bound.field}__{_LOOKUP[bound.op]}": day})
        condition &= holds | Q(**{f"{bound.field}__isnull": True}) if bound.empty_passes else holds
    return condition


def in_force_sql(alias: str) -> tuple[str, int]:
    """The same rule as a SQL condition on the list-entry table aliased ``alias``, for hand-written queries; returns
    the fragment and how many ``%s`` in it take the day."""
    parts = []
    for bound in list_rules.IN_FORCE_BOUNDS:
        column = f"{alias}.{ListEntry._meta.get_field(bound.field).column}"
        holds = f"{column} {bound.op} %s"
        parts.append(f"({column} IS NULL OR {holds})" if bound.empty_passes else holds)
    return "(" + " AND ".join(parts) + ")", len(parts)


def entries_in_force(*, subject_id: int, day: dt.date | None = None) -> list[ListEntry]:
    """The entries of a subject in force on ``day`` (today by default), one indexed query."""
    day = day or clock.today()
    return list(ListEntry.objects.filter(subject_id=subject_id).filter(in_force_filter(day))
                .only("id", "list_code", "kind", "effective_date", "planned_end", "decision_no", "identifying_unit")
                .order_by("list_code", "effective_date", "id"))


def entries_in_force_at(*, subject_id: int, moment: dt.datetime) -> list[ListEntry]:
    """The entries of a subject the platform held in force at ``moment``, whatever happened to them since (replays):
    recorded by then, effective, within their term, and no removal recorded by then (a removal backdated later does
    not change what was answered)."""
    day = moment.astimezone(clock.PLATFORM_TZ).date()
    qs = (ListEntry.objects.filter(subject_id=subject_id, created_at__lte=moment, effective_date__lte=day)
          .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=day))
          .filter(Q(removed_at__isnull=True) | Q(removed_at__gt=moment)))
    return list(qs.order_by("list_code", "effective_date", "id"))


def late_pushes(*, viewer, department: Department | None = None) -> QuerySet[ListEntry]:
    """Entries pushed later than their deadline (7 working days after the decision, 淄政办字〔2021〕31号 第八项)."""
    return entry_list(viewer=viewer, late=True, department=department)


def late_entries_for_department(*, department: Department) -> QuerySet[ListEntry]:
    return ListEntry.objects.filter(department=department, pushed_late=True).order_by("-decision_date", "-id")


def late_push_counts(*, since: dt.date | None = None) -> dict[int, int]:
    """Late list pushes per department id (figures), optionally for entries recorded since ``since``."""
    qs = ListEntry.objects.filter(pushed_late=True)
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    return dict(qs.values_list("department_id").annotate(n=Count("id")).values_list("department_id", "n"))


def list_summary() -> list[dict]:
    """Per list: its rules and how many entries are in force now."""
    today = clock.today()
    counts = dict(ListEntry.objects.filter(in_force_filter(today)).values_list("list_code")
                  .annotate(n=Count("id")).values_list("list_code", "n"))
    out = []
    for code in rulebook().codes():
        spec = rulebook().get(code, today)
        out.append({"spec": spec, "in_force": counts.get(code, 0)})
    return out


def changes_for_keys(*, keys: QuerySet | list[str], since: int = 0, limit: int = 500) -> list[ListChange]:
    return list(ListChange.objects.filter(subject_key__in=keys, id__gt=since).select_related("subject")
                .order_by("id")[:max(1, min(limit, 1000))])


# --- identification cases ------------------------------------------------------------------------------------------


def case_scope(user) -> Q:
    if is_city_operator(user):
        return Q()
    if may_identify(user):
        return Q(department_id=user.department_id)
    return _NOTHING


def case_list(*, viewer, state: str = "") -> QuerySet[IdentificationCase]:
    qs = IdentificationCase.objects.filter(case_scope(viewer)).select_related("department")
    return qs.filter(state=state) if state else qs


def case_get(*, viewer, pk: int) -> IdentificationCase | None:
    return IdentificationCase.objects.filter(case_scope(viewer)).select_related("department", "record").filter(pk=pk).first()


@dataclass(frozen=True)
class CaseDeadlines:
    defence_open: bool
    push_due: dt.date | None
    push_overdue: bool
    defence_provisional: str = ""  # why the defence deadline is provisional (a year with no holiday schedule)
    defence_until: dt.date | None = None  # the deadline by today's calendar (a year loaded since the notice counts)


def case_deadlines(case: IdentificationCase) -> CaseDeadlines:
    """Where a case stands against its deadlines: the defence period, and the 7-working-day push after the decision."""
    from pubcredit.workdays.selectors import add_working_days

    today = clock.today()
    defence_open = bool(case.defence_deadline and not case.defence_received_on and today <= case.defence_deadline)
    push_due = None
    if case.decision_date:
        spec = rulebook().get(case.list_code, case.decision_date)
        push_due = add_working_days(case.decision_date, spec.push_deadline_working_days).value
    overdue = bool(push_due and case.state == "decided" and today > push_due)
    provisional, until = "", case.defence_deadline
    if case.state == "notified" and case.notified_on and not case.defence_received_on:
        from pubcredit.rules.lists import defence_deadline_bound
        from pubcredit.workdays.selectors import holiday_envelope, work_calendar

        spec = rulebook().get(case.list_code, case.notified_on)
        bound = defence_deadline_bound(spec, case.notified_on, work_calendar(), holiday_envelope()) if spec else None
        if bound is not None:
            until = bound.value
            defence_open = today <= until
            if bound.provisional:
                provisional = f"暂定：{bound.explain_zh()}，载入前不能作出认定决定"
    return CaseDeadlines(defence_open, push_due, overdue, provisional, until)
