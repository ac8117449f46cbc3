"""Department figures (部门报送统计, issue 3 item 5): selectors, scoping per role, pages and the API.

Real-time sharing rule: 淄政办字〔2021〕31号 item 2 (≥ 90 % of departments sharing in real time), with the
platform's test for one department from rulebook/sharing.yaml (≥ 90 % of its new records of the last 30 days
within the class deadline, counted on the working-day calendar).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.selectors import department_by_code
from pubcredit.figures.selectors import REASON_ROWS_LIMIT, city_sharing_figures, department_figures
from pubcredit.accounts.services import department_create, token_create, token_revoke, user_create
from pubcredit.catalog.registry import get_class
from pubcredit.ingest.models import Batch, RejectedRow
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.identifiers import uscc_check_char
from tests.catalog.factories import license_row
from tests.factories import frame, penalty, uscc

pytestmark = pytest.mark.django_db

TZ = clock.PLATFORM_TZ
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff users are created by the dozen here; their passwords need no key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def when(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), TZ)


def submit(department, actor, rows, received: dt.datetime, class_code: str = "admin_penalty"):
    with clock.pinned(received.date()):
        result = records_submit(info_class=get_class(class_code), frame=frame(rows), department=department,
                                actor=actor, received_at=received)
    assert result.rejected == [], result.rejected
    return result


def penalties(start: int, count: int, decided: str) -> list[dict]:
    return [penalty(n, decision_date=decided, valid_until="2027-12-31") for n in range(start, start + count)]


def refuse(department, received: dt.datetime, rows: list[list[dict]], class_code: str = "admin_penalty",
           status: str = "done") -> Batch:
    """A batch received at ``received`` whose rows were refused with these errors (ORM fixture: the ingest
    pipeline that writes them is tested on its own)."""
    batch = Batch.objects.create(class_code=class_code, department=department, channel="file", received_at=received,
                                 actor_label="test", status=status)
    RejectedRow.objects.bulk_create([
        RejectedRow(batch=batch, class_code=class_code, department=department, row_no=i, errors=errors)
        for i, errors in enumerate(rows, start=1)])
    return batch


def error(code: str, field: str | None, message: str) -> dict:
    return {"field": field, "code": code, "message": message, "message_en": code}


def other_department(actor, code="SWJ", name="国家税务总局淄博市税务局", n=7, district=None):
    first17 = f"11370300MB28{n:05d}"
    return department_create(code=code, name=name, uscc=first17 + uscc_check_char(first17), district=district,
                             actor=actor)


def figures_as_of(day: str, viewer, department, **kwargs):
    with clock.pinned(dt.date.fromisoformat(day)):
        return department_figures(viewer=viewer, department=department, **kwargs)


# -- the figures ---------------------------------------------------------------------------------------------

def test_records_by_class_and_month_use_the_month_in_shanghai(operator, department, system_actor):
    """00:30 on 1 November in Shanghai is still 31 October in UTC: it counts for November."""
    submit(department, system_actor, penalties(1, 2, "2026-09-01"), when("2026-09-03"))
    submit(department, system_actor, penalties(3, 1, "2026-10-30"), when("2026-11-01", 0, 30))
    submit(department, system_actor, penalties(4, 1, "2026-10-30"), when("2026-10-31", 23, 30))
    submit(department, system_actor, [license_row(decision_no="淄食许〔2026〕9号", subject_uscc=uscc(9),
                                                  decision_date="2026-11-10", valid_from="2026-11-10")],
           when("2026-11-12"), class_code="admin_license")
    submit(department, system_actor, penalties(20, 1, "2025-10-10"), when("2025-10-15"))  # before the 12 months
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.months[0] == "2025-12" and figures.months[-1] == "2026-11" and len(figures.months) == 12
    assert [(c.class_code, c.month, c.count) for c in figures.by_class_month] == [
        ("admin_penalty", "2026-09", 2), ("admin_penalty", "2026-10", 1),
        ("admin_license", "2026-11", 1), ("admin_penalty", "2026-11", 1)]
    assert figures.by_class_month[2].class_name == "行政许可"
    chart = figures.chart()
    assert [s["name"] for s in chart["series"]] == ["行政许可", "行政处罚"]
    assert chart["series"][1]["data"][-3:] == [2, 1, 1]
    assert figures.month_rows()[0] == ("2026-11", [1, 1], 2)
    assert figures.overall.new_records == 6  # overall counts every record, the chart the last 12 months
    assert [c.month for c in figures_as_of("2026-11-20", operator, department, months=2).by_class_month] == \
        ["2026-10", "2026-11", "2026-11"]


def test_zibo_31_realtime_sharing_counts_working_days_across_national_day(operator, department, system_actor):
    """Decided 2026-09-28: received 10-13 is 7 working days (on time), 10-14 is 8 (late); by calendar days both
    would be 15 and 16 days, far past the deadline. 9 of 10 on time is exactly 90 %: sharing; one more late: not."""
    submit(department, system_actor, penalties(1, 9, "2026-09-28"), when("2026-10-13"))
    submit(department, system_actor, penalties(10, 1, "2026-09-28"), when("2026-10-14"))
    figures = figures_as_of("2026-10-20", operator, department)
    assert (figures.first_day, figures.last_day) == (dt.date(2026, 9, 21), dt.date(2026, 10, 20))
    assert (figures.window.new_records, figures.window.on_time, figures.window.late) == (10, 9, 1)
    assert figures.window.on_time_share == 0.9
    assert figures.window.median_delay_working_days == 7
    assert figures.verdict.status == "sharing" and figures.verdict.rule_version == "realtime_sharing@2026.1"
    assert "按时报送9条（90.0%），达到90%" in figures.verdict.reason_zh

    submit(department, system_actor, penalties(11, 1, "2026-09-28"), when("2026-10-15"))
    figures = figures_as_of("2026-10-20", operator, department)
    assert figures.verdict.status == "not_sharing" and "81.8%" in figures.verdict.reason_zh
    assert figures.window.median_delay_working_days == 7  # 7,7,…,7,8,9: the middle one is 7

    # thirty days later those records have left the window: no decision known, "no data" rather than failing
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.window.new_records == 0 and figures.verdict.status == "no_data"
    assert figures.overall.new_records == 11 and figures.overall.on_time == 9


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_delays(operator, department, system_actor):
    submit(department, system_actor, penalties(1, 1, "2026-11-16"), when("2026-11-17"))  # 1 working day
    submit(department, system_actor, penalties(2, 1, "2026-11-16"), when("2026-11-18"))  # 2
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.window.median_delay_working_days == 1.5


def test_rejection_rate_and_top_reasons_over_the_window(operator, department, system_actor):
    submit(department, system_actor, penalties(1, 4, "2026-11-16"), when("2026-11-17"))
    uscc_bad = error("uscc.checksum", "subject_uscc", "统一社会信用代码校验位错误")
    future = error("date.future", "decision_date", "决定日期晚于今天")
    blank = error("required", "decision_no", "行政处罚决定书文号不能为空")
    enum = error("enum.invalid", "penalty_types", "处罚类别不在允许的取值中")
    long_ = error("length.max", "violation_facts", "违法事实超过长度限制")
    other = error("amount.invalid", "fine_amount", "罚款金额不是数字")
    refuse(department, when("2026-11-18"), [
        [uscc_bad], [uscc_bad], [uscc_bad, future], [future, future],  # the same reason twice in a row counts once
        [blank], [blank, enum], [long_], [other]])
    refuse(department, when("2026-09-01"), [[error("old.reason", "subject_name", "旧原因")]] * 2)  # outside
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.window.rejected_rows == 8
    assert figures.window.rejection_rate == round(8 / 12, 4)
    assert figures.overall.rejected_rows == 10 and figures.overall.rejection_rate == round(10 / 14, 4)
    reasons = [(r.code, r.field, r.count) for r in figures.top_reasons]
    assert reasons == [("uscc.checksum", "subject_uscc", 3), ("date.future", "decision_date", 2),
                       ("required", "decision_no", 2), ("amount.invalid", "fine_amount", 1),
                       ("enum.invalid", "penalty_types", 1)]
    assert figures.top_reasons[0].example == "统一社会信用代码校验位错误"
    assert figures.top_reasons[0].field_label == "统一社会信用代码"
    assert figures.top_reasons[3].field_label == "罚款金额（万元）"
    assert figures.reasons_rows_examined == 8 and not figures.reasons_truncated


def test_top_reasons_read_a_bounded_number_of_rows(operator, department, monkeypatch):
    from pubcredit.figures import selectors

    monkeypatch.setattr(selectors, "REASON_ROWS_LIMIT", 3)
    refuse(department, when("2026-11-18"), [[error("x.old", "a", "旧")]] * 2 + [[error("x.new", "b", "新")]] * 3)
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.reasons_rows_examined == 3 and figures.reasons_truncated
    assert [(r.code, r.count) for r in figures.top_reasons] == [("x.new", 3)]  # newest rows first
    assert figures.window.rejected_rows == 5  # the rate still counts every row
    assert REASON_ROWS_LIMIT >= 1000


def test_only_refused_rows_in_the_window_make_a_department_fail_not_no_data(operator, department):
    refuse(department, when("2026-11-18"), [[error("uscc.checksum", "subject_uscc", "校验位错误")]] * 3)
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.verdict.status == "not_sharing" and "均被退回" in figures.verdict.reason_zh
    assert figures.window.rejection_rate == 1.0


def test_last_submission_is_the_latest_batch_or_record(operator, department, system_actor):
    submit(department, system_actor, penalties(1, 1, "2026-11-16"), when("2026-11-17", 9))
    assert figures_as_of("2026-11-20", operator, department).last_submission_at == when("2026-11-17", 9)
    refuse(department, when("2026-11-19", 15), [], status="refused")  # a whole file refused is a submission too
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.last_submission_at == when("2026-11-19", 15) and figures.refused_batches == 1


def test_a_department_with_nothing_has_no_data(operator, department):
    figures = figures_as_of("2026-11-20", operator, department)
    assert figures.verdict.status == "no_data" and figures.verdict.label == "无数据"
    assert figures.window.on_time_share is None and figures.window.median_delay_working_days is None
    assert figures.window.rejection_rate is None and figures.last_submission_at is None
    assert figures.by_class_month == [] and figures.top_reasons == []


def test_department_figures_take_a_handful_of_queries_whatever_the_records(operator, department, system_actor,
                                                                           django_assert_max_num_queries):
    submit(department, system_actor, penalties(1, 40, "2026-11-02"), when("2026-11-10"))
    refuse(department, when("2026-11-18"), [[error("uscc.checksum", "subject_uscc", "校验位错误")]] * 30)
    with django_assert_max_num_queries(7):
        figures = figures_as_of("2026-11-20", operator, department)
    assert figures.window.new_records == 40


# -- every department ----------------------------------------------------------------------------------------

def test_zibo_31_city_share_of_departments_sharing_against_the_90_percent_goal(operator, department,
                                                                               district_department, system_actor):
    late_one = other_department(system_actor)
    other_department(system_actor, code="EMPTY", name="淄博市某某局", n=8)  # no data: listed, not counted
    submit(department, system_actor, penalties(1, 3, "2026-11-16"), when("2026-11-18"))  # 3/3 on time
    submit(district_department, system_actor, [penalty(10, decision_date="2026-11-16", decision_no="张市监罚1号")],
           when("2026-11-19"))
    submit(late_one, system_actor, [penalty(20, decision_date="2026-10-01", decision_no="税罚1号")],
           when("2026-11-02"))  # late
    with clock.pinned(dt.date(2026, 11, 20)):
        figures = city_sharing_figures(viewer=operator)
    verdicts = {row.department.code: row.verdict.status for row in figures.departments}
    assert verdicts == {"SCJGJ": "sharing", "ZD-SCJG": "sharing", "SWJ": "not_sharing", "EMPTY": "no_data"}
    outcome = figures.outcome
    assert (outcome.sharing, outcome.counted, outcome.no_data) == (2, 3, 1)
    assert round(outcome.share, 4) == 0.6667 and outcome.meets_goal is False and outcome.goal_share == 0.9
    assert figures.scope_name == "全市"
    row = next(r for r in figures.departments if r.department.code == "SCJGJ")
    assert row.new_records == 3 and row.on_time_share == 1.0 and row.last_submission_at == when("2026-11-18")


def test_city_figures_cost_the_same_queries_for_more_departments(operator, department, system_actor):
    def count() -> int:
        with clock.pinned(dt.date(2026, 11, 20)), CaptureQueriesContext(connection) as ctx:
            city_sharing_figures(viewer=operator)
        return len(ctx.captured_queries)

    submit(department, system_actor, penalties(1, 2, "2026-11-16"), when("2026-11-18"))
    few = count()
    for i in range(5):
        dept = other_department(system_actor, code=f"D{i}", name=f"部门{i}", n=20 + i)
        submit(dept, system_actor, [penalty(100 + i, decision_date="2026-11-16", decision_no=f"罚{i}号")],
               when("2026-11-18"))
    assert count() == few <= 6


# -- who sees what -------------------------------------------------------------------------------------------

@pytest.fixture
def users(db, department, district_department, system_actor):
    from pubcredit.accounts.services import district_get

    make = lambda name, role, **kw: user_create(username=name, password="Secret#2026x", role=role,  # noqa: E731
                                                actor=system_actor, **kw)
    return {
        "operator": make("op", Role.OPERATOR),
        "superuser": make("root", "", is_superuser=True),
        "district": make("zd", Role.DISTRICT_OPERATOR, district=district_get("zhangdian")),
        "other_district": make("zc", Role.DISTRICT_OPERATOR, district=district_get("zichuan")),
        "provider": make("prov", Role.PROVIDER, department=department),
        "reviewer": make("rev", Role.REVIEWER, department=department),
        "business": make("biz", Role.BUSINESS_USER, department=district_department),
        "no_role": make("nobody", ""),
    }


@pytest.mark.parametrize("who, city_dept, district_dept", [
    ("operator", True, True), ("superuser", True, True),
    ("district", False, True), ("other_district", False, False),
    ("provider", True, False), ("reviewer", True, False), ("business", False, True),
    ("no_role", False, False),
])
def test_department_figures_scope_per_role(users, department, district_department, who, city_dept, district_dept):
    for dept, allowed in ((department, city_dept), (district_department, district_dept)):
        if allowed:
            assert figures_as_of("2026-11-20", users[who], dept).department == dept
        else:
            with pytest.raises(PermissionDenied):
                figures_as_of("2026-11-20", users[who], dept)


def test_anonymous_and_tokens_of_other_departments_are_refused(department, district_department, system_actor):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        figures_as_of("2026-11-20", AnonymousUser(), department)
    token = token_create(department=department, actor=system_actor).token
    assert figures_as_of("2026-11-20", token, department).department == department
    with pytest.raises(PermissionDenied):
        figures_as_of("2026-11-20", token, district_department)
    token_revoke(token=token, actor=system_actor)
    with pytest.raises(PermissionDenied):
        figures_as_of("2026-11-20", token, department)


@pytest.mark.parametrize("who, codes", [
    ("operator", {"SCJGJ", "ZD-SCJG"}), ("superuser", {"SCJGJ", "ZD-SCJG"}),
    ("district", {"ZD-SCJG"}), ("other_district", set()),
    ("provider", None), ("reviewer", None), ("business", None), ("no_role", None),
])
def test_city_figures_scope_per_role(users, who, codes):
    with clock.pinned(dt.date(2026, 11, 20)):
        if codes is None:
            with pytest.raises(PermissionDenied):
                city_sharing_figures(viewer=users[who])
            return
        figures = city_sharing_figures(viewer=users[who])
    assert {row.department.code for row in figures.departments} == codes
    assert figures.scope_name == ("张店区" if who == "district" else "淄川区" if who == "other_district" else "全市")


def test_unknown_department_code():
    with pytest.raises(DomainError) as err:
        department_by_code("NOPE")
    assert err.value.code == "department.not_found"


# -- the API -------------------------------------------------------------------------------------------------

@pytest.fixture
def token(department, system_actor):
    return token_create(department=department, actor=system_actor)


def bearer(issued) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}


def test_api_department_reads_its_own_stats_with_its_token(client, token, department, system_actor, today):
    submit(department, system_actor, penalties(1, 9, "2026-11-09"), when("2026-11-18"))  # 7 working days: on time
    submit(department, system_actor, penalties(10, 1, "2026-11-02"), when("2026-11-18"))  # 12: late
    refuse(department, when("2026-11-19"), [[error("uscc.checksum", "subject_uscc", "统一社会信用代码校验位错误")]])
    response = client.get("/api/v1/departments/SCJGJ/stats", **bearer(token))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["code"], body["name"], body["district"], body["as_of"]) == ("SCJGJ", "淄博市市场监督管理局", None,
                                                                             "2026-11-20")
    assert body["window"] == {"days": 30, "first_day": "2026-10-22", "last_day": "2026-11-20", "new_records": 10,
                              "on_time": 9, "late": 1, "rejected_rows": 1, "refused_batches": 0}
    assert body["by_class_month"] == [{"class_code": "admin_penalty", "class_name": "行政处罚", "month": "2026-11",
                                       "count": 10}]
    assert len(body["months"]) == 12 and body["months"][-1] == "2026-11"
    assert body["rejection_rate"] == round(1 / 11, 4)
    assert body["top_reasons"] == [{
        "code": "uscc.checksum", "field": "subject_uscc", "field_label": "统一社会信用代码", "count": 1,
        "example": "统一社会信用代码校验位错误"}]
    assert body["on_time_share"] == 0.9 and body["median_delay_working_days"] == 7
    assert body["last_submission_at"].startswith("2026-11-19T10:00:00")
    assert body["overall"]["records"] == 10
    assert body["realtime_sharing"] == {
        "status": "sharing", "label": "实时共享", "reason": body["realtime_sharing"]["reason"],
        "reason_en": body["realtime_sharing"]["reason_en"], "rule_version": "realtime_sharing@2026.1",
        "window_days": 30, "on_time_share_required": 0.9, "min_records": 1}
    assert client.get("/api/v1/departments/SCJGJ/stats?months=3", **bearer(token)).json()["months"] == \
        ["2026-09", "2026-10", "2026-11"]


def test_api_token_of_another_department_is_forbidden(client, token, district_department, today):
    response = client.get(f"/api/v1/departments/{district_department.code}/stats", **bearer(token))
    assert response.status_code == 403 and response.json()["code"] == "auth.forbidden"


def test_api_unknown_department_is_404(client, token, today):
    response = client.get("/api/v1/departments/NOPE/stats", **bearer(token))
    assert response.status_code == 404 and response.json()["code"] == "department.not_found"


def test_api_revoked_or_missing_token_is_401(client, token, system_actor, today):
    token_revoke(token=token.token, actor=system_actor)
    response = client.get("/api/v1/departments/SCJGJ/stats", **bearer(token))
    assert response.status_code == 401 and response.json()["code"] == "auth.token"
    assert client.get("/api/v1/departments/SCJGJ/stats").status_code == 401
    assert client.get("/api/v1/departments/stats").status_code == 401


def test_api_bad_months_is_422(client, token, today):
    response = client.get("/api/v1/departments/SCJGJ/stats?months=0", **bearer(token))
    assert response.status_code == 422 and response.json()["code"] == "request.invalid"


def test_api_staff_session_follows_the_same_scoping(client, users, department, district_department, today):
    client.force_login(users["provider"], backend=MODEL_BACKEND)
    assert client.get("/api/v1/departments/SCJGJ/stats").status_code == 200
    assert client.get("/api/v1/departments/ZD-SCJG/stats").status_code == 403
    assert client.get("/api/v1/departments/stats").status_code == 403
    client.force_login(users["district"], backend=MODEL_BACKEND)
    assert client.get("/api/v1/departments/SCJGJ/stats").status_code == 403
    assert client.get("/api/v1/departments/ZD-SCJG/stats").status_code == 200
    body = client.get("/api/v1/departments/stats").json()
    assert body["scope"] == "张店区" and [d["code"] for d in body["departments"]] == ["ZD-SCJG"]


def test_api_city_stats_for_operators(client, operator, department, district_department, token, system_actor, today):
    submit(department, system_actor, penalties(1, 2, "2026-11-16"), when("2026-11-18"))
    submit(district_department, system_actor, [penalty(9, decision_date="2026-10-01", decision_no="张罚1号")],
           when("2026-11-18"))
    assert client.get("/api/v1/departments/stats", **bearer(token)).status_code == 403  # tokens: own department only
    client.force_login(operator, backend=MODEL_BACKEND)
    body = client.get("/api/v1/departments/stats").json()
    assert (body["scope"], body["departments_total"], body["departments_counted"], body["sharing"]) == \
        ("全市", 2, 2, 1)
    assert (body["share"], body["goal_share"], body["meets_goal"]) == (0.5, 0.9, False)
    assert body["rule_version"] == "realtime_sharing@2026.1" and "目标 ≥ 90%" in body["summary"]
    rows = {d["code"]: d for d in body["departments"]}
    assert rows["ZD-SCJG"]["realtime_sharing"]["status"] == "not_sharing" and rows["ZD-SCJG"]["district"] == "张店区"
    assert rows["SCJGJ"]["on_time_share"] == 1.0


def test_api_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    stats = schema["paths"]["/api/v1/departments/{code}/stats"]["get"]
    assert set(stats["responses"]) >= {"200", "401", "403", "404"}
    props = schema["components"]["schemas"]["DepartmentStatsOut"]["properties"]
    assert {"by_class_month", "rejection_rate", "top_reasons", "on_time_share", "median_delay_working_days",
            "last_submission_at", "realtime_sharing"} <= set(props)
    assert "/api/v1/departments/stats" in schema["paths"]


# -- the pages -----------------------------------------------------------------------------------------------

def test_pages_need_login(client):
    response = client.get(reverse("figures:city_figures"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_city_page_shows_the_share_against_the_goal(client, operator, department, system_actor, today):
    submit(department, system_actor, penalties(1, 2, "2026-11-16"), when("2026-11-18"))
    client.force_login(operator, backend=MODEL_BACKEND)
    page = client.get(reverse("figures:city_figures")).content.decode()
    assert "实时共享部门占比 <strong>100.0%</strong>（目标 ≥ 90%）" in page
    assert reverse("figures:department_figures", args=["SCJGJ"]) in page and "实时共享" in page
    assert "部门报送统计" in page  # nav link


def test_department_page_shows_figures_chart_and_reasons(client, provider, department, district_department,
                                                        system_actor, today):
    submit(department, system_actor, penalties(1, 2, "2026-11-16"), when("2026-11-18"))
    refuse(department, when("2026-11-19"), [[error("uscc.checksum", "subject_uscc", "统一社会信用代码校验位错误")]])
    client.force_login(provider, backend=MODEL_BACKEND)
    response = client.get(reverse("figures:department_figures", args=["SCJGJ"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="chart-by-month"' in page and "vendor/echarts.min.js" in page and 'id="chart-data"' in page
    assert "统一社会信用代码校验位错误" in page and "uscc.checksum" not in page  # the reason's kind, in Chinese
    assert 'data-figure="on_time_share">100.0%<' in page and "本部门报送统计" in page
    assert "https://" not in page.split("<main>")[1]  # no CDN
    assert client.get(reverse("figures:department_figures", args=["ZD-SCJG"])).status_code == 403
    assert client.get(reverse("figures:department_figures", args=["NOPE"])).status_code == 404
    assert client.get(reverse("figures:city_figures")).status_code == 403
