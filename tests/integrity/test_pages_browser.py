"""The integrity pages at phone (390 px) and desk (1366 px) width: no sideways scroll, no English, no raw codes —
the government-integrity view with a flagged body, an integrity file, the appointment check and the court's
feedback page, the functions page (政务诚信岗位) with its grants (screenshots under the test's tmp directory)."""

import datetime as dt
import os
import pathlib

import pytest

from pubcredit.accounts.services import department_create
from pubcredit.integrity import files, services
from pubcredit.rules import clock
from pubcredit.sanctions.services import check_feedback_record, check_run
from tests.console.pagecheck import problems, rulebook_codes
from tests.factories import resident_id, uscc
from tests.integrity.helpers import GOVERNMENT_DEBTOR, complaint_input
from tests.lists.helpers import court_row, submit_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _districts(db):
    """A transactional test after another may find the migrations' districts flushed: load them from the rulebook."""
    from pubcredit.accounts.services import districts_sync_from_rulebook

    districts_sync_from_rulebook()


def _login(chromium, base_url, username, password, width):
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
    return context, page


def test_integrity_pages_fit_phone_and_desk(chromium, live_server, today, public_actor, operator, handler, leader,
                                            department, system_actor, tmp_path):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    court = department_create(code="ZDFY", name="淄博市张店区人民法院", uscc=uscc(77, registrar="11"),
                              district="zhangdian", actor=system_actor)
    clerk = user_create(username="court", password="Court#2026-ok", role=Role.PROVIDER, department=court,
                        display_name="执行局", actor=system_actor)
    hr = user_create(username="hr", password="Personnel#2026", role=Role.BUSINESS_USER, department=department,
                     display_name="人事科", actor=system_actor)
    services.integrity_grant(user=hr, role="personnel_office", actor=operator)
    with clock.pinned(dt.date(2026, 9, 1)):
        complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
        services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
        services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed="50000", note="",
                                          verified_on=dt.date(2026, 9, 1), actor=handler)
        services.arrears_plan_agree(complaint=complaint, plan_last_day=dt.date(2026, 10, 30), plan_note="一次付清",
                                    actor=handler)
    submit_list("court_dishonest_debtor", [court_row(1, subject_name="淄博市某某局", subject_uscc=GOVERNMENT_DEBTOR)],
                court, system_actor)
    hit = check_run(department=department, subject={"uscc": GOVERNMENT_DEBTOR}, scenario="government_procurement",
                    actor=system_actor)
    for m in [m for h in hit.hits for m in h["measures"]]:
        check_feedback_record(check=hit, measure_code=m["code"], applied=True, actor=system_actor)
    staff = files.integrity_file_create(name="李某", id_number=resident_id(31), staff_kind="judicial",
                                        position="执行局法官助理", actor=hr)
    files.integrity_file_entry_add(file=staff, kind="demerit", title="记过处分", decided_on=dt.date(2026, 6, 1), actor=hr)

    codes = rulebook_codes()
    pages = [("leader", "Leader#2026", ["/integrity/bodies/", f"/integrity/bodies/{complaint.debtor_id}/",
                                         "/integrity/arrears/", "/integrity/arrears/figures/"]),
             ("hr", "Personnel#2026", ["/integrity/files/", f"/integrity/files/{staff.pk}/", "/integrity/files/check/"]),
             ("court", "Court#2026-ok", ["/integrity/court-feedback/"]),
             ("operator", "Operator#2026", ["/integrity/grants/"])]  # the leader and the personnel office listed
    found = {}
    for width in (390, 1366):
        for username, password, urls in pages:
            context, page = _login(chromium, live_server.url, username, password, width)
            for url in urls:
                page.goto(live_server.url + url)
                assert page.locator("h1").count() == 1, url
                if issues := problems(page, codes):
                    found[f"{url} @{width}"] = issues
                page.screenshot(path=str(tmp_path / f"{url.strip('/').replace('/', '-')}-{width}.png"), full_page=True)
            context.close()
    assert found == {}


def test_government_case_pages_fit_phone_and_desk(chromium, live_server, today, public_actor, operator, handler, leader,
                                                  system_actor, tmp_path):
    """政府失信案件: the list and one case for a leader, the identification form and the case with its forms for the
    operator, and the public list of serious cases (政务失信公示), at 390 and 1366 px."""
    from pubcredit.integrity import cases

    with clock.pinned(dt.date(2026, 9, 1)):
        complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
        services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
        services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed="50000", note="",
                                          verified_on=dt.date(2026, 9, 1), actor=handler)
        services.arrears_plan_agree(complaint=complaint, plan_last_day=dt.date(2026, 10, 30), plan_note="一次付清",
                                    actor=handler)
    other = services.arrears_complaint_file(**complaint_input(contract_ref="绿化养护合同（ZB-2026-031）"),
                                            actor=public_actor)
    case = cases.government_case_identify(body=complaint.debtor, source_type="arrears", source_id=complaint.pk,
                                          facts="约定2026年10月30日前付清工程款5万元，逾期未付。",
                                          supervisor="淄博市人民政府办公室", serious=True, actor=operator)
    cases.accountability_record_add(case=case, person_name="赵某", position="副局长", responsibility="leader",
                                    measure="inquiry_talk", decided_on=today, deciding_body="淄博市工业和信息化局",
                                    actor=operator)
    assert other.status == "filed"
    # a court entry in force gives the identification form a source to offer
    submit_list("court_dishonest_debtor", [court_row(1, subject_name="淄博市某某局", subject_uscc=GOVERNMENT_DEBTOR)],
                handler.department, system_actor)
    # PUBCREDIT_SCREENS=docs/screens refreshes the documented screenshots; otherwise the test's own tmp directory
    screens = pathlib.Path(os.environ.get("PUBCREDIT_SCREENS") or tmp_path)
    codes = rulebook_codes()
    pages = [("leader", "Leader#2026", ["/integrity/cases/", f"/integrity/cases/{case.pk}/"]),
             ("operator", "Operator#2026", [f"/integrity/cases/new/{complaint.debtor_id}/",
                                            f"/integrity/cases/{case.pk}/"])]
    found = {}
    for width in (390, 1366):
        for username, password, urls in pages:
            context, page = _login(chromium, live_server.url, username, password, width)
            for url in urls:
                page.goto(live_server.url + url)
                assert page.locator("h1").count() == 1, url
                if issues := problems(page, codes):
                    found[f"{url} @{width}"] = issues
                name = f"integrity-case-{username}-{'new' if 'new' in url else 'list' if url.endswith('cases/') else 'detail'}-{width}.png"
                page.screenshot(path=str(screens / name), full_page=True)
            context.close()
        context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + "/public/integrity/government-cases/")
        assert "淄博市某某局" in page.inner_text("#public-cases") and "赵某" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        page.screenshot(path=str(screens / f"integrity-case-public-{width}.png"), full_page=True)
        context.close()
    assert found == {}


def test_campaign_pages_fit_phone_and_desk(chromium, live_server, operator, department, system_actor, tmp_path):
    """诚信宣传节点 on the public site during 诚信兴商宣传月: the news page features it, the calendar lists both
    campaigns, the campaign page shows its dates, source and reviewed piece — at 390 and 1366 px."""
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create
    from pubcredit.integrity import publicity

    editor = user_create(username="editor", password="Editor#2026-x", role=Role.BUSINESS_USER, display_name="宣传编辑",
                         department=department, actor=system_actor)
    reviewer = user_create(username="preview", password="Review#2026-x", role=Role.BUSINESS_USER,
                           display_name="宣传审核", department=department, actor=system_actor)
    services.integrity_grant(user=editor, role="editor", actor=operator)
    services.integrity_grant(user=reviewer, role="publicity_reviewer", actor=operator)
    with clock.pinned(dt.date(2026, 9, 2)):
        piece = publicity.article_save(kind="campaign", title="淄博市2026年“诚信兴商宣传月”活动启动",
                                       body="9月1日，全市诚信兴商宣传月活动在人民广场启动。", actor=editor,
                                       campaign="integrity_business_month")
        for step, who in (("submit", editor), ("approve", reviewer), ("publish", editor)):
            publicity.article_step(article=piece, step=step, actor=who)
    screens = pathlib.Path(os.environ.get("PUBCREDIT_SCREENS") or tmp_path)
    codes = rulebook_codes()
    found = {}
    with clock.pinned(dt.date(2026, 9, 2)):
        for width in (390, 1366):
            context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
            page = context.new_page()
            for url, name in (("/public/integrity/news/", "news"), ("/public/integrity/campaigns/", "calendar"),
                              ("/public/integrity/campaigns/integrity_business_month/", "campaign")):
                page.goto(live_server.url + url)
                assert page.locator("h1").count() == 1, url
                if issues := problems(page, codes):
                    found[f"{url} @{width}"] = issues
                page.screenshot(path=str(screens / f"integrity-campaign-{name}-{width}.png"), full_page=True)
            assert "淄博市2026年“诚信兴商宣传月”活动启动" in page.inner_text("#campaign-articles")
            context.close()
    assert found == {}
