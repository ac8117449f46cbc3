"""异议处理中 in reports: while an accepted objection is verified, the item stays in every report kind (publication goes
on: NDRC Order 36 art. 18 does not suspend it) with the mark, and an issued report's verify answer says a newer report
would differ once the objection is accepted or decided (the fingerprint covers open objections)."""

import subprocess

import pytest

from pubcredit.audit.services import SystemActor
from pubcredit.lists.models import ListEntry
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services as repair
from pubcredit.reports import services
from pubcredit.subjects.models import Subject

ACTOR = SystemActor("test")
MARK = "异议处理中"


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def marked_titles(report) -> list[str]:
    """Each marked item as its title and fields in one text."""
    return [" ".join([i["title"], *(f"{k}：{v}" for k, v in i["rows"])]) for s in report.snapshot["sections"]
            for i in s["items"] if MARK in i["marks"]]


def object_to(record, unit):
    objection = repair.objection_submit(record=record, objector_name="刘会计", objector_contact="13900000000",
                                        grounds="罚款金额登记有误", actor=ACTOR)
    repair.objection_accept(objection=objection, department=unit, actor=ACTOR)
    return objection


@pytest.mark.django_db
def test_order36_art18_objection_marks_query_and_special_reports_and_makes_issued_ones_outdated(site, eco, department,
                                                                                                 today):
    subject = Subject.objects.get(name=site[1])
    record = CreditRecord.objects.get(subject=subject, decision_no="淄市监罚〔2026〕1号")
    kw = dict(subject=subject, actor=ACTOR, requester=eco.name, purpose="招投标", procedure="ZB-3", department=eco)
    before = services.report_issue(kind="query", **kw)
    assert marked_titles(before) == [] and not services.registration(before.number).newer_exists
    objection = object_to(record, eco)
    # accepted: the report issued before would differ now
    assert services.registration(before.number).newer_exists
    query = services.report_issue(kind="query", **kw)
    special = services.report_issue(kind="special", **kw, period_from=today.replace(year=today.year - 5),
                                    period_to=today)
    public = services.report_issue(kind="public", subject=subject, actor=ACTOR, requester="公众")
    for report in (query, special, public):
        assert marked_titles(report) == [t for t in marked_titles(report) if "淄市监罚〔2026〕1号" in t] != []
        text = pdf_text(bytes(report.pdf))
        assert MARK in text and "正在核查" in text  # the mark and the note saying what it means
        assert not services.registration(report.number).newer_exists
    # the record whose objection is open is still reported, only marked: the other penalty carries no mark
    assert any("淄市监罚〔2026〕5号" in i["title"] and not i["marks"]
               for s in query.snapshot["sections"] for i in s["items"])
    repair.objection_decide(objection=objection, outcome="dismiss", reason="经核查，处罚信息无误", department=eco,
                            actor=ACTOR)
    # decided: the mark is gone from a new report, and the reports issued meanwhile are outdated
    assert services.registration(special.number).newer_exists
    assert marked_titles(services.report_issue(kind="special", **kw, period_from=today.replace(year=today.year - 5),
                                               period_to=today)) == []


@pytest.mark.django_db
def test_objection_to_a_list_entrys_record_marks_the_entry(list_site, department):
    subject = Subject.objects.get(name=list_site[11])
    entry = ListEntry.objects.get(subject=subject)
    object_to(entry.record, department)
    report = services.report_issue(kind="query", subject=subject, actor=ACTOR, requester=department.name,
                                   purpose="招投标", procedure="ZB-4", department=department)
    assert marked_titles(report) == [f"{t}" for t in marked_titles(report) if entry.decision_no in t] != []
