"""Judicial linkage (司法联动): departments' measures come back to the court per case; a court's deletion of a
失信被执行人 entry (最高人民法院关于公布失信被执行人名单信息的若干规定 第十条: deleted within 3 working days) is
reflected at once on the public site and in checks, so well within the 3 working days."""

import datetime as dt
import json

import pytest

from pubcredit.accounts.services import token_create
from pubcredit.integrity import selectors
from pubcredit.rules import clock
from pubcredit.sanctions.services import check_feedback_record, check_run
from pubcredit.workdays.selectors import add_working_days
from tests.factories import uscc
from tests.lists.helpers import court_row, submit_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def court(db, system_actor):
    from pubcredit.accounts.services import department_create

    return department_create(code="ZDFY", name="淄博市张店区人民法院", uscc=uscc(77, registrar="11"),
                             district="zhangdian", actor=system_actor)


def test_measures_applied_by_departments_come_back_to_the_court_per_case(court, department, system_actor, client):
    submit_list("court_dishonest_debtor", [court_row(1), court_row(2)], court, system_actor)
    with clock.pinned(dt.date(2026, 11, 20)):
        hit = check_run(department=department, subject={"uscc": uscc(1)}, scenario="government_procurement",
                        actor=system_actor)
        codes = [m["code"] for h in hit.hits for m in h["measures"]]
        for code in codes:
            check_feedback_record(check=hit, measure_code=code, applied=code == "court.procurement_refuse",
                                  note="" if code == "court.procurement_refuse" else "本项目未涉及", actor=system_actor)
        cases = selectors.court_feedback(department=court)
    by_case = {c.entry.decision_no: c for c in cases}
    first, second = by_case["（2026）鲁0303执1号之一"], by_case["（2026）鲁0303执2号之一"]
    assert first.checks == 1 and first.applied == 1 and second.checks == 0 and second.reports == []
    applied = [r for r in first.reports if r.applied]
    assert [(r.department, r.measure_code) for r in applied] == [("淄博市市场监督管理局", "court.procurement_refuse")]
    assert selectors.court_feedback(department=department) == []  # another department's cases: none

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=court, actor=system_actor).plaintext}"}
    with clock.pinned(dt.date(2026, 11, 20)):
        body = client.get("/api/v1/integrity/court-feedback", **auth).json()
    [case] = [c for c in body if c["decision_no"] == "（2026）鲁0303执1号之一"]
    assert case["checks"] == 1 and any(m["applied"] and m["measure_code"] == "court.procurement_refuse"
                                       for m in case["measures"])


def test_spc_rule_art10_court_deletion_reflected_on_portal_and_checks_within_3_working_days(court, department,
                                                                                          system_actor, client):
    submit_list("court_dishonest_debtor", [court_row(1)], court, system_actor)
    with clock.pinned(dt.date(2026, 11, 20)):
        before = check_run(department=department, subject={"uscc": uscc(1)}, scenario="government_procurement",
                           actor=system_actor)
        subject_id = before.subject_id
        assert before.hit_count == 1
        assert "（2026）鲁0303执1号之一" in client.get(f"/public/subjects/{subject_id}/").content.decode()
        shown = client.get("/api/v1/public/subjects/" + uscc(1)).json()
        assert "（2026）鲁0303执1号之一" in json.dumps(shown, ensure_ascii=False)
    # the debtor paid on Tuesday 24 November; the court deletes it the next day (its deadline: 3 working days)
    paid_on = dt.date(2026, 11, 24)
    deadline = add_working_days(paid_on, 3).value
    _, sync = submit_list("court_dishonest_debtor", [court_row(1, removal_date="2026-11-24",
                                                               removal_reason="履行完毕删除")],
                          court, system_actor, when="2026-11-25")
    assert sync.removed == 1
    with clock.pinned(dt.date(2026, 11, 25)):
        assert dt.date(2026, 11, 25) <= deadline
        after = check_run(department=department, subject={"uscc": uscc(1)}, scenario="government_procurement",
                          actor=system_actor)
        assert after.hit_count == 0
        page = client.get(f"/public/subjects/{subject_id}/").content.decode()
        assert "（2026）鲁0303执1号之一" not in page
        api = client.get("/api/v1/public/subjects/" + uscc(1))
        assert api.status_code == 200 and "（2026）鲁0303执1号之一" not in json.dumps(api.json(), ensure_ascii=False)
        [case] = selectors.court_feedback(department=court)
        assert case.entry.removed_on == paid_on  # the court sees its deletion took effect


def test_spc_rule_art10_court_deletion_reflected_in_reports_and_evaluation_the_day_it_is_pushed(court, system_actor):
    """The two readers the first test leaves out: the public credit report's content and the evaluation engine's
    lines (公共信用综合评价) both drop the entry from the deletion's push, inside the 3 working days."""
    from pubcredit.evaluation.rulebook import scorecards
    from pubcredit.evaluation.selectors import partition_frames
    from pubcredit.reports.selectors import public_content
    from pubcredit.rules.evaluation import score_partition
    from pubcredit.subjects.models import Subject

    submit_list("court_dishonest_debtor", [court_row(1)], court, system_actor)
    subject = Subject.objects.get(uscc=uscc(1))
    entry_id = subject.list_entries.get().pk

    def report_mentions() -> bool:
        return any("（2026）鲁0303执1号之一" in item["title"] for s in public_content(subject)["sections"]
                   for item in s["items"])

    def evaluation_lines(day: dt.date) -> list:
        card = scorecards().for_day(day)
        frames = partition_frames(subject_ids=[subject.pk], card=card, as_of=day, known_before=clock.now())
        lines = score_partition(frames, card, day).lines
        return lines.filter(lines["source_kind"] == "list")["source_id"].to_list()

    with clock.pinned(dt.date(2026, 11, 20)):
        assert report_mentions() and evaluation_lines(dt.date(2026, 11, 20)) == [entry_id]
    submit_list("court_dishonest_debtor", [court_row(1, removal_date="2026-11-24", removal_reason="履行完毕删除")],
                court, system_actor, when="2026-11-25")
    with clock.pinned(dt.date(2026, 11, 25)):
        assert dt.date(2026, 11, 25) <= add_working_days(dt.date(2026, 11, 24), 3).value
        assert not report_mentions() and evaluation_lines(dt.date(2026, 11, 25)) == []
