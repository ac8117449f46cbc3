"""City monitoring (城市信用状况监测, issue 20 item 3): the indicators other systems' figures describe — 信易贷 and 信易+
(finance), credit commitments, report use, graded supervision — read month by month from hand-built data, shown as
measured and never scored; the scorecard figures new in 2026.3 are scored indicators; what the platform cannot
measure stays listed as such."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pubcredit.finance.models import IncentiveAnswer, IncentiveUse
from pubcredit.governance import selectors, sources
from pubcredit.reports.models import Report
from pubcredit.rules import clock
from pubcredit.rules.governance import MONITORING_SOURCES
from pubcredit.subjects.models import Subject
from tests.figures.test_figures import when
from tests.finance.conftest import account, bank, bank_api, enterprise_data  # noqa: F401 - the fixtures
from tests.finance.test_applications import product  # noqa: F401 - the fixture
from tests.finance.test_figures import lending  # noqa: F401 - the fixture
from tests.governance.helpers import drawn, inspection_task

pytestmark = pytest.mark.django_db

NOVEMBER = "2026-11"


def cell(data: selectors.Monitoring, source: str, month: str = NOVEMBER) -> sources.SourceCell:
    row = next(r for r in data.sourced if r.indicator.source == source)
    return dict(row.months)[month]


def test_every_declared_source_has_a_reader():
    assert set(sources.SOURCES) == set(MONITORING_SOURCES)


def test_the_finance_figures_are_read_once_per_month_for_both_rows(operator, monkeypatch):
    """信易贷 and 信易+ rows read the same month's finance figures: once per month on a page, not once per row."""
    windows = []
    real = sources.lending_figures

    def counted(*, first_day, last_day):
        windows.append((first_day, last_day))
        return real(first_day=first_day, last_day=last_day)

    monkeypatch.setattr(sources, "lending_figures", counted)
    data = selectors.monitoring(viewer=operator)
    assert len(windows) == len(set(windows)) == len(data.months) == 12


def test_lending_and_incentives_rows_read_the_finance_figures(operator, lending, department):  # noqa: F811
    """三笔信易贷申请 (one disbursed 80 万元 as a first loan, one approved, one refused); 信易+: three checks in one
    scenario, two eligible, one benefit reported given (the provider's latest report counts)."""
    for n, eligible in enumerate((True, True, False)):
        answer = IncentiveAnswer.objects.create(
            department=department, actor_label="t", scenario="xinyipi_green_channel", subject_code=f"code{n}",
            eligible=eligible, benefit="绿色通道", rulebook_version="t", as_of=when("2026-11-18"))
        if n == 0:
            IncentiveUse.objects.create(answer=answer, used=False, actor_label="t", created_at=when("2026-11-18", 11))
            IncentiveUse.objects.create(answer=answer, used=True, actor_label="t", created_at=when("2026-11-19"))
    data = selectors.monitoring(viewer=operator)
    loans = cell(data, "lending")
    assert loans.has_data and loans.value == 1.0
    assert loans.text_zh == "申请3笔，批准2笔，放款1笔80万元，首贷占比100.0%"
    assert cell(data, "lending", "2026-10").text_zh == "无申请" and not cell(data, "lending", "2026-10").has_data
    assert cell(data, "incentives").text_zh == "1个场景核验3次，符合条件2次，已兑现1次"
    # the same numbers as the finance app's own page reads
    from pubcredit.finance.selectors import lending_figures
    total = lending_figures(first_day=dt.date(2026, 11, 1), last_day=dt.date(2026, 11, 20)).total
    assert (total.applications, total.approved, total.disbursed) == (3, 2, 1)


def test_commitments_row_reads_the_commitment_figures(operator, department, system_actor, today):
    from pubcredit.commitments.services import commitment_accept, commitment_verify
    from tests.commitments.helpers import commitment

    first = commitment_accept(department=department, actor=system_actor,
                              values=commitment(1, verification_date="2026-11-10"))
    commitment_accept(department=department, actor=system_actor,
                      values=commitment(2, commitment_type="主动型", approval_no=None))
    commitment_verify(record=first, department=department, verified_on="2026-11-10", fulfilled=True, note="核查",
                      actor=system_actor)
    text = cell(selectors.monitoring(viewer=operator), "commitments").text_zh
    assert text.startswith("作出承诺2件（审批替代型1件）")
    assert "应核查1件，按期核查1件；违诺0件" in text


def _report(subject, department, kind: str, day: str, n: int, **extra) -> Report:
    return Report.objects.create(number=f"ZB{n:06d}", kind=kind, subject=subject, requester_label="t",
                                 department=department, purpose="招投标", issued_at=when(day),
                                 valid_until=dt.date(2026, 12, 31), snapshot={}, content_hash="x",
                                 data_fingerprint="x", pdf=b"", pdf_sha256=f"{n:064d}", rulebook_version="t", **extra)


def test_report_use_row_counts_reports_by_kind_and_the_departments_using_them(operator, department,
                                                                           district_department, today):
    subject = Subject.objects.create(kind="legal_person", name="淄博报告测试公司", uscc="91370300MA3C000003",
                                     created_at=clock.now(), updated_at=clock.now())
    _report(subject, department, "query", "2026-11-03", 1)
    _report(subject, department, "special", "2026-11-04", 2)
    _report(subject, district_department, "query", "2026-11-05", 3)
    _report(subject, None, "public", "2026-11-06", 4)
    _report(subject, department, "query", "2026-10-30", 5)  # October
    data = selectors.monitoring(viewer=operator)
    november = cell(data, "report_use")
    assert november.text_zh == "出具4份（公开版1、查询版2、专项1），2个部门使用，企业自查0份"
    assert november.value == 2.0
    assert cell(data, "report_use", "2026-10").text_zh.startswith("出具1份")


def test_graded_supervision_row_counts_objects_drawn_under_the_class_rules(operator, department, today):
    graded = inspection_task(department, "SJ-2026-11", drawn_on=dt.date(2026, 11, 9))
    for n in range(1, 4):
        drawn(graded, n)
    special = inspection_task(department, "SJ-2026-12", trigger="complaint", drawn_on=dt.date(2026, 11, 10))
    drawn(special, 4, graded=False)
    inspection_task(department, "SJ-2026-13")  # not drawn yet
    row = cell(selectors.monitoring(viewer=operator), "graded_supervision")
    assert row.text_zh == "2个任务抽取对象4户，按信用分级分类抽取3户（75.0%）" and row.value == 75.0


def test_the_page_shows_the_sourced_rows_and_keeps_the_unmeasurable_ones_listed(client, operator, today):
    client.force_login(operator)
    page = client.get(reverse("governance:monitoring")).content.decode()
    assert 'id="monitoring-sources"' in page and "不折算得分" in page
    for name in ("信易贷", "其他信易+", "信用报告应用情况", "分级分类监管情况（按信用分级抽查）"):
        assert name in page
    # scored: the 2026.3 figures have their indicator rows
    assert "双公示情况（信息质量：字段完整有效）" in page and "分级分类监管情况（抽查结果20个工作日内公示）" in page
    not_measured = page.split('id="not-measured"')[1]
    assert "严重失信事件监测" in not_measured and "信易贷" not in not_measured
