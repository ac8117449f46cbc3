"""Reads for the workbench: each role's home as an inbox (what this person must do today), late records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from pubcredit.accounts.access import is_city_operator, record_scope
from pubcredit.accounts.choices import Role
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.subjects.models import Subject


def home_figures(*, viewer) -> dict:
    scope = record_scope(viewer)
    records = CreditRecord.objects.filter(scope)
    since = clock.today().replace(day=1)
    totals = records.aggregate(
        total=Count("id"),
        penalties=Count("id", filter=Q(class_code="admin_penalty")),
        licences=Count("id", filter=Q(class_code="admin_license")),
        this_month=Count("id", filter=Q(received_at__date__gte=since)),
        late=Count("id", filter=Q(on_time=False)),
    )
    figures = {"records": totals, "since": since}
    if is_city_operator(viewer):
        figures["subjects"] = Subject.objects.count()
    figures["recent"] = list(records.select_related("subject", "department").order_by("-received_at", "-id")[:10])
    return figures


# --- homes as inboxes (issue 21 item 3) ------------------------------------------------------------------------------

LATE_WINDOW_DAYS = 30  # the homes count late submissions of the last 30 days; the late page lists every one


@dataclass(frozen=True)
class Counter:
    """One count on a home, linking to the rows it counts."""

    key: str
    label: str
    count: int
    url: str
    attention: bool = False  # the count is work to do (shown in amber when non-zero)
    hint: str = ""


@dataclass
class Inbox:
    intro: str
    counters: list[Counter] = field(default_factory=list)
    cases: list = field(default_factory=list)  # reviewer: open identification cases with their next deadline
    actions: list[tuple[str, str]] = field(default_factory=list)  # (label, url): the role's usual first steps


def late_records(*, viewer) -> QuerySet[CreditRecord]:
    """Records submitted after their deadline (超期报送) that the viewer answers for, newest first.

    A department sees its own; a district office the departments of its district; the credit centre every one."""
    if is_city_operator(viewer):
        scope = Q()
    elif viewer.role == Role.DISTRICT_OPERATOR and viewer.district_id:
        scope = Q(department__district_id=viewer.district_id)
    elif viewer.department_id and viewer.role in (Role.PROVIDER, Role.REVIEWER):
        scope = Q(department_id=viewer.department_id)
    else:
        return CreditRecord.objects.none()
    return (CreditRecord.objects.filter(scope, on_time=False).select_related("subject", "department")
            .order_by("-received_at", "-id"))


def _late_counter(viewer) -> Counter:
    since = clock.today() - dt.timedelta(days=LATE_WINDOW_DAYS)
    late = late_records(viewer=viewer)
    recent = late.filter(received_at__date__gte=since).count()
    return Counter("late_records", f"近{LATE_WINDOW_DAYS}天超期报送", recent, reverse("console:late_records"),
                   attention=True, hint=f"累计 {late.count()} 条")


def _open_rejections(viewer) -> Counter:
    from pubcredit.ingest.selectors import rejection_list

    return Counter("open_rejections", "待修正的退回数据", rejection_list(viewer=viewer).count(),
                   reverse("ingest:rejection_list"), attention=True, hint="修正后重新上传即可")


def _late_pushes(viewer, department=None) -> Counter:
    from pubcredit.lists.selectors import late_pushes

    count = late_pushes(viewer=viewer, department=department).count()
    return Counter("late_pushes", "超期推送的名单条目", count, reverse("lists:entry_list") + "?late=1",
                   attention=True, hint="认定后7个工作日内应推送")


def _sharing(viewer) -> Counter:
    from pubcredit.figures.selectors import city_sharing_figures

    figures = city_sharing_figures(viewer=viewer)
    below = [row for row in figures.departments if row.verdict.status == "not_sharing"]
    hint = ""
    if figures.outcome is not None and figures.outcome.share is not None:
        hint = f"实时共享部门占比 {figures.outcome.share:.0%}（目标 ≥ {figures.outcome.goal_share:.0%}）"
    return Counter("not_sharing", "未达实时共享要求的部门", len(below), reverse("figures:city_figures"),
                   attention=True, hint=hint)


def _provider(viewer, inbox: Inbox) -> None:
    from pubcredit.ingest.choices import BatchStatus
    from pubcredit.ingest.selectors import batch_list

    running = batch_list(viewer=viewer).filter(status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING]).count()
    inbox.counters += [
        _open_rejections(viewer), _late_counter(viewer),
        Counter("batches_running", "正在处理的批次", running, reverse("ingest:batch_list"), hint="处理完成后可查看结果"),
        _late_pushes(viewer, department=viewer.department), _repair_notices(viewer),
    ]
    inbox.actions += [("上传归集文件", reverse("ingest:upload")), ("下载报送模板", reverse("ingest:catalog"))]


def _business(viewer, inbox: Inbox) -> None:
    from pubcredit.sanctions.selectors import check_list, watch_unread

    awaiting = check_list(viewer=viewer, awaiting=True).count()
    month_start = clock.today().replace(day=1)
    this_month = check_list(viewer=viewer).filter(as_of_date__gte=month_start).count()
    inbox.counters += [
        Counter("checks_awaiting", "待反馈措施实施情况的核查", awaiting, reverse("sanctions:check_list") + "?awaiting=1",
                attention=True, hint="命中名单后应反馈是否实施措施（应惩必惩）"),
        Counter("watch_unread", "未读关注提醒", watch_unread(department=viewer.department), reverse("sanctions:inbox"),
                attention=True, hint="关注的主体列入或移出名单"),
        Counter("checks_month", "本月核查", this_month, reverse("sanctions:check_list")),
    ]
    inbox.actions += [("核查一个主体", reverse("sanctions:check_new")), ("批量核查", reverse("sanctions:batch_new"))]


# Open identification cases (认定案件) and what each waits for.
_CASE_NEXT_STEP = {
    "draft": "审查认定依据", "basis_checked": "事先告知或作出决定", "notified": "听取陈述申辩后作出决定",
    "decided": "推送平台",
}


def _reviewer(viewer, inbox: Inbox) -> None:
    from pubcredit.lists.selectors import case_deadlines, case_list

    open_cases = list(case_list(viewer=viewer).filter(state__in=list(_CASE_NEXT_STEP)).order_by("created_at", "id"))
    for case in open_cases:
        case.next_step = _CASE_NEXT_STEP[case.state]
        case.deadlines = case_deadlines(case)
    by_state = {state: sum(1 for c in open_cases if c.state == state) for state in _CASE_NEXT_STEP}
    cases_url = reverse("lists:case_list")
    inbox.counters += [
        Counter("cases_basis", "待审查依据的案件", by_state["draft"], f"{cases_url}?state=draft", attention=True),
        Counter("cases_notify", "待告知当事人的案件", by_state["basis_checked"], f"{cases_url}?state=basis_checked",
                attention=True, hint="依据审查已通过"),
        Counter("cases_decide", "待作出认定决定的案件", by_state["notified"], f"{cases_url}?state=notified",
                attention=True, hint="陈述申辩期满后作出决定"),
        Counter("cases_push", "待推送平台的决定", by_state["decided"], f"{cases_url}?state=decided", attention=True,
                hint="认定后7个工作日内推送"),
    ]
    inbox.cases = open_cases[:20]
    inbox.counters.append(_repair_overdue(viewer, department=viewer.department))
    inbox.counters.append(_repair_notices(viewer))
    if viewer.department_id:
        inbox.actions.append(("新建认定案件", reverse("lists:case_open")))


def _repair_overdue(viewer, department=None) -> Counter:
    """信用修复与异议 (issue 13): open cases past their working-day limit, for the unit and the credit centre."""
    from pubcredit.repair.selectors import overdue_counts

    counts = overdue_counts(department=department)
    return Counter("repair_overdue", "超期未办的信用修复与异议", counts["applications"] + counts["objections"],
                   reverse("repair:queue"), attention=True, hint="受理3个工作日、办理7个工作日、异议核查7个工作日")


def _repair_notices(viewer) -> Counter:
    """信用修复与异议 (issue 13): the unit's unread step notices (办理进度通知)."""
    from pubcredit.repair.selectors import unread_notice_count

    count = unread_notice_count(department=viewer.department) if viewer.department_id else 0
    return Counter("repair_notices", "未读的信用修复与异议通知", count, reverse("repair:notices"), attention=True,
                   hint="申请、异议每个办理环节的通知")


def _district(viewer, inbox: Inbox) -> None:
    inbox.counters += [_sharing(viewer), _late_counter(viewer), _late_pushes(viewer)]


def _city(viewer, inbox: Inbox) -> None:
    from pubcredit.ingest.choices import BatchStatus
    from pubcredit.ingest.models import Batch
    from pubcredit.jobs.selectors import failed_awaiting_rerun_count
    from pubcredit.publicity.selectors import consumer_list

    consumers, _head = consumer_list()
    week_ago = clock.today() - dt.timedelta(days=7)
    refused = Batch.objects.filter(status=BatchStatus.REFUSED, received_at__date__gte=week_ago).count()
    inbox.counters += [
        _sharing(viewer), _late_pushes(viewer),
        Counter("consumers_lagging", "未跟上变更流水的订阅系统", sum(1 for row in consumers if row.behind),
                reverse("publicity:consumers"), attention=True, hint=f"共 {len(consumers)} 个订阅系统"),
        Counter("batches_refused", "近7天整批退回的批次", refused, reverse("ingest:batch_list"), attention=True,
                hint="文件无法读取或缺少必填列"),
        _open_rejections(viewer), _late_counter(viewer), _repair_overdue(viewer),
        Counter("jobs_failed", "失败待重新执行的后台任务", failed_awaiting_rerun_count(),
                reverse("jobs:job_list") + "?status=FAILED", attention=True, hint="文件导入、日常任务或审计链封存未完成"),
    ]


def home_inbox(*, viewer) -> Inbox:
    """What this person must do today, as counts that link to the rows (issue 21 item 3)."""
    department = viewer.department.name if viewer.department_id else ""
    if is_city_operator(viewer):
        inbox = Inbox("市社会信用中心：全市信用信息归集、名单推送和联合奖惩的待办事项。")
        _city(viewer, inbox)
    elif viewer.role == Role.DISTRICT_OPERATOR:
        inbox = Inbox(f"{viewer.district or ''}信用办：本区县部门的报送情况和名单推送。")
        _district(viewer, inbox)
    elif viewer.role == Role.PROVIDER:
        inbox = Inbox(f"{department}：本部门报送的信用信息，待修正的数据和超期情况。")
        _provider(viewer, inbox)
    elif viewer.role == Role.REVIEWER:
        inbox = Inbox(f"{department}：本单位办理的名单认定案件及其期限。")
        _reviewer(viewer, inbox)
    elif viewer.role == Role.BUSINESS_USER:
        inbox = Inbox(f"{department}：办理业务前查询主体信用（应查必查），命中后反馈措施实施情况（应惩必惩）。")
        _business(viewer, inbox)
    else:
        inbox = Inbox("您的账号尚未分配角色，请联系市社会信用中心。")
    if viewer.department_id and viewer.role in (Role.PROVIDER, Role.REVIEWER):  # 逾期与临期提醒 (issue 20)
        from pubcredit.governance.selectors import department_digest

        digest = department_digest(department=viewer.department)
        inbox.counters.append(Counter("governance_digest", "已逾期或3个工作日内到期的事项", len(digest.items),
                                      reverse("governance:digest"), attention=True,
                                      hint=f"其中已逾期 {len(digest.late)} 项"))
    return inbox
