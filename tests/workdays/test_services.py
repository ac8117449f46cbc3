"""The holiday table (节假日与调休表): seed, services with their audit rows, file loading, command and page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility, call_command
from django.db import connections
from django.urls import reverse

from pubcredit.audit.models import AuditEvent
from pubcredit.rules.errors import DomainError
from pubcredit.workdays import selectors
from pubcredit.workdays.models import CalendarDay, CalendarRevision
from pubcredit.workdays.services import calendar_day_remove, calendar_day_set, calendar_load_file

pytestmark = pytest.mark.django_db

D = dt.date

GOOD_CSV = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,班,春节
2027-02-08,休,春节
2027-02-09,节假日,春节
2027-02-20,调休,春节
"""

GOOD_YAML = """- date: 2027-10-01
  kind: holiday
  name: 国庆节
- {date: "2027-10-09", kind: 班, name: 国庆节}
"""


def _snapshot():
    return sorted(CalendarDay.objects.values_list("date", "kind", "name", "source"))


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


# -- seed and the DB-backed counts ----------------------------------------------------------------------

def test_seeded_table_gives_7_working_days_after_2026_09_28_as_2026_10_13():
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == "workday"
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    assert selectors.add_working_days(D(2026, 9, 28), 7).value == D(2026, 10, 13)
    assert selectors.working_days_between(D(2026, 9, 28), D(2026, 10, 13)).value == 7
    assert set(range(2004, 2027)) <= selectors.work_calendar().covered_years


def test_year_without_rows_falls_back_with_a_warning():
    result = selectors.add_working_days(D(2026, 12, 30), 3)
    assert result.value == D(2027, 1, 4)
    assert [w.code for w in result.warnings] == ["calendar.year_not_covered"]


def test_cache_is_reused_and_follows_the_revision():
    first = selectors.work_calendar()
    assert selectors.work_calendar() is first
    # a write by another process: rows change and the revision is bumped in the same transaction
    CalendarDay.objects.filter(date=D(2026, 10, 10)).delete()
    CalendarRevision.objects.filter(pk=1).update(number=selectors.calendar_revision() + 1)
    assert selectors.work_calendar() is not first
    assert selectors.add_working_days(D(2026, 9, 28), 7).value == D(2026, 10, 14)


# -- set / remove ---------------------------------------------------------------------------------------

def test_set_a_day_is_audited_and_counts_immediately(operator):
    assert selectors.add_working_days(D(2026, 11, 20), 1).value == D(2026, 11, 23)
    row = calendar_day_set(day=D(2026, 11, 23), kind="holiday", name="测试假日", actor=operator)
    assert (row.kind, row.name, row.source) == ("holiday", "测试假日", "operator")
    event = AuditEvent.objects.get(action="calendar.set")
    assert (event.object_type, event.object_id, event.actor_label) == ("calendar_day", "2026-11-23", "user:operator")
    assert event.before_hash == "" and event.after_hash
    assert selectors.add_working_days(D(2026, 11, 20), 1).value == D(2026, 11, 24)


def test_set_changes_an_existing_day_and_a_repeat_is_a_no_op(operator):
    calendar_day_set(day=D(2026, 10, 10), kind="休", name="国庆节", actor=operator)
    event = AuditEvent.objects.get(action="calendar.set")
    assert event.before_hash and event.after_hash and event.before_hash != event.after_hash
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == "holiday"
    assert selectors.add_working_days(D(2026, 9, 28), 7).value == D(2026, 10, 14)
    calendar_day_set(day=D(2026, 10, 10), kind="holiday", name="国庆节", actor=operator)
    assert AuditEvent.objects.filter(action="calendar.set").count() == 1


@pytest.mark.parametrize(("day", "kind", "code", "field"), [
    (D(2026, 11, 24), "workday", "calendar.workday_not_weekend", "kind"),  # a Tuesday is already working
    (D(2026, 11, 24), "vacation", "calendar.kind", "kind"),
    ("2026-02-30", "holiday", "calendar.date", "date"),
])
def test_set_refuses_bad_input_and_changes_nothing(operator, day, kind, code, field):
    before = _snapshot()
    with pytest.raises(DomainError) as caught:
        calendar_day_set(day=day, kind=kind, name="", actor=operator)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert _snapshot() == before and not AuditEvent.objects.filter(action="calendar.set").exists()


def test_remove_a_day_is_audited(operator):
    calendar_day_remove(day=D(2026, 10, 10), actor=operator)
    assert not CalendarDay.objects.filter(date=D(2026, 10, 10)).exists()
    event = AuditEvent.objects.get(action="calendar.remove")
    assert (event.object_id, event.actor_label) == ("2026-10-10", "user:operator") and event.before_hash
    assert selectors.add_working_days(D(2026, 9, 28), 7).value == D(2026, 10, 14)
    with pytest.raises(DomainError) as caught:
        calendar_day_remove(day=D(2026, 10, 10), actor=operator)
    assert caught.value.code == "calendar.day_not_found"


# -- loading files --------------------------------------------------------------------------------------

def test_load_csv_with_every_kind_spelling(tmp_path, system_actor):
    assert not selectors.work_calendar().covers(2027)
    count = calendar_load_file(path=_write(tmp_path, "2027.csv", GOOD_CSV), actor=system_actor)
    assert count == 5
    rows = {r.date: r for r in CalendarDay.objects.filter(date__year=2027)}
    assert [rows[d].kind for d in sorted(rows)] == ["holiday", "workday", "holiday", "holiday", "workday"]
    assert {r.source for r in rows.values()} == {"file"}
    assert selectors.work_calendar().covers(2027)
    assert selectors.add_working_days(D(2027, 2, 5), 1) == selectors.add_working_days(D(2027, 2, 5), 1)
    assert selectors.add_working_days(D(2027, 2, 5), 1).value == D(2027, 2, 6)  # the make-up Saturday
    assert selectors.add_working_days(D(2027, 2, 5), 1).warnings == ()
    event = AuditEvent.objects.get(action="calendar.load")
    assert event.data["created"] == 5 and event.data["file"] == "2027.csv" and event.data["years"] == [2027]


def test_load_gb18030_csv_with_chinese_headers(tmp_path, system_actor):
    path = _write(tmp_path, "节假日.csv", "日期,类型,名称\n2027-05-03,休,劳动节\n", encoding="gb18030")
    assert calendar_load_file(path=path, actor=system_actor) == 1
    assert CalendarDay.objects.get(date=D(2027, 5, 3)).name == "劳动节"


def test_load_yaml(tmp_path, system_actor):
    assert calendar_load_file(path=_write(tmp_path, "2027.yaml", GOOD_YAML), actor=system_actor) == 2
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).kind == "workday"


@pytest.mark.parametrize(("name", "text", "code", "line", "field"), [
    ("bad.csv", GOOD_CSV + "2027-02-30,holiday,春节\n", "calendar.date", 7, "date"),
    ("bad.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,放假,元旦\n", "calendar.kind", 3, "kind"),
    ("bad.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n", "calendar.duplicate_date", 3,
     "date"),
    ("bad.csv", "date,name\n2027-01-01,元旦\n", "calendar.file_header", 1, "file"),
    ("bad.yaml", GOOD_YAML + "- date: 2027-02-30\n  kind: holiday\n  name: 春节\n", "calendar.date", 5, "date"),
])
def test_one_bad_line_rejects_the_whole_file(tmp_path, system_actor, name, text, code, line, field):
    before = _snapshot()
    with pytest.raises(DomainError) as caught:
        calendar_load_file(path=_write(tmp_path, name, text), actor=system_actor)
    error = caught.value
    assert (error.code, error.field) == (code, field)
    assert f"第{line}行" in error.message_zh and f"line {line}" in error.message_en
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()


def test_every_bad_line_is_reported(tmp_path, system_actor):
    text = "date,kind,name\n2027-02-30,holiday,春节\n2027-01-01,holiday,元旦\n2027-13-01,x,\n"
    with pytest.raises(DomainError) as caught:
        calendar_load_file(path=_write(tmp_path, "bad.csv", text), actor=system_actor)
    assert [(p.code, p.field) for p in caught.value.problems] == [
        ("calendar.date", "date"), ("calendar.date", "date"), ("calendar.kind", "kind")]
    assert "3处错误" in caught.value.message_zh and not CalendarDay.objects.filter(date__year=2027).exists()


# -- the command ----------------------------------------------------------------------------------------

def test_load_calendar_command(tmp_path, capsys):
    call_command("load_calendar", str(_write(tmp_path, "2027.csv", GOOD_CSV)))
    assert "loaded 5 calendar days" in capsys.readouterr().out
    assert AuditEvent.objects.get(action="calendar.load").actor_label == "cli:load_calendar"


def test_load_calendar_command_exits_non_zero_on_a_bad_file(tmp_path, capsys, monkeypatch):
    path = _write(tmp_path, "bad.csv", "date,kind,name\n2027-02-30,holiday,春节\n")
    # run_from_argv closes every connection when it ends; the test's own connection must survive it
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["pubcredit", "load_calendar", str(path)]).execute()
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "第2行" in err and "2027-02-30" in err and "calendar.date" in err
    assert not CalendarDay.objects.filter(date__year=2027).exists()


# -- the page -------------------------------------------------------------------------------------------

def test_calendar_page_needs_login(client):
    response = client.get(reverse("workdays:calendar"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_calendar_page_is_for_operators_only(client, operator, provider):
    client.force_login(provider)
    assert client.get(reverse("workdays:calendar")).status_code == 403
    assert client.post(reverse("workdays:set"), {"date": "2026-11-23", "kind": "holiday"}).status_code == 403
    assert "工作日历" not in client.get(reverse("console:home")).content.decode()
    client.force_login(operator)
    response = client.get(reverse("workdays:calendar"), {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-10-10" in page and "调休上班日" in page and "国庆节" in page
    assert "该年度无节假日数据" not in page
    assert 'href="/calendar/"' in client.get(reverse("console:home")).content.decode()


def test_page_defaults_to_the_clocks_year_and_warns_for_an_uncovered_year(client, operator, today):
    client.force_login(operator)
    assert "工作日历 · 2026年" in client.get(reverse("workdays:calendar")).content.decode()
    page = client.get(reverse("workdays:calendar"), {"year": 2027}).content.decode()
    assert "该年度无节假日数据，按周一至周五计算" in page
    assert "2027年共有工作日 <strong>261</strong> 天" in page  # 2027 Mon–Fri


def test_operator_adds_and_removes_a_day_through_the_page(client, operator):
    client.force_login(operator)
    response = client.post(reverse("workdays:set"),
                           {"date": "2026-11-23", "kind": "holiday", "name": "测试假日", "year": "2026"}, follow=True)
    assert response.redirect_chain[-1][0] == "/calendar/?year=2026"
    page = response.content.decode()
    assert "已保存" in page and "测试假日" in page
    assert CalendarDay.objects.get(date=D(2026, 11, 23)).source == "operator"
    assert AuditEvent.objects.get(action="calendar.set").actor_label == "user:operator"

    response = client.post(reverse("workdays:remove"), {"date": "2026-11-23", "year": "2026"}, follow=True)
    assert "已删除" in response.content.decode()
    assert not CalendarDay.objects.filter(date=D(2026, 11, 23)).exists()
    assert AuditEvent.objects.filter(action="calendar.remove").count() == 1


def test_page_shows_the_services_error_and_changes_nothing(client, operator):
    client.force_login(operator)
    before = _snapshot()
    response = client.post(reverse("workdays:set"), {"date": "2026-11-24", "kind": "workday", "year": "2026"},
                           follow=True)
    assert "调休上班日应为周六或周日" in response.content.decode()
    response = client.post(reverse("workdays:set"), {"date": "2026-02-30", "kind": "holiday"}, follow=True)
    assert "日期" in response.content.decode()
    assert _snapshot() == before


def test_operator_uploads_a_file_through_the_page(client, operator):
    client.force_login(operator)
    upload = SimpleUploadedFile("2027.csv", GOOD_CSV.encode())
    response = client.post(reverse("workdays:load"), {"file": upload, "year": "2027"}, follow=True)
    page = response.content.decode()
    assert "已从 2027.csv 导入 5 个日期" in page and "该年度无节假日数据" not in page
    bad = SimpleUploadedFile("bad.csv", "date,kind,name\n2028-02-30,holiday,春节\n".encode())
    response = client.post(reverse("workdays:load"), {"file": bad, "year": "2028"}, follow=True)
    assert "第2行" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2028).exists()
