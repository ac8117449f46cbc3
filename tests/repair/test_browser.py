"""Browser: a record under objection on the public site (marked 异议处理中, still shown), and the unit's notices and
queue with a proof file — on a desktop and on a phone, nothing wider than the screen."""

import os
from pathlib import Path

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.evidence import evidence_add
from tests.factories import uscc
from tests.publicity.factories import eco_department, ndrc_penalty, submit
from tests.repair.test_evidence import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = Path(os.environ.get("PUBCREDIT_SCREENSHOTS", "")) if os.environ.get("PUBCREDIT_SCREENSHOTS") else None


def shoot(page, name):
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def objected(system_actor, settings, tmp_path, today):
    settings.PUBCREDIT_REPAIR_EVIDENCE_DIR = tmp_path / "evidence"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = ""
    eco = eco_department(system_actor)
    result = submit([ndrc_penalty(n, decision_date="2026-04-15", valid_until="2026-04-15") for n in (1, 2)],
                    department=eco, actor=system_actor, when="2026-04-20")
    record, other = CreditRecord.objects.filter(pk__in=result.record_ids).order_by("pk")
    objection = services.objection_submit(record=record, objector_name="李律师", objector_contact="13900000000",
                                          grounds="罚款金额登记有误", actor=system_actor)
    services.objection_accept(objection=objection, department=eco, actor=system_actor)
    app = services.repair_application_submit(
        record=other, applicant_uscc=uscc(2), contact_name="王经理", contact_phone="13800000000",
        proof_description="罚款已缴纳", commitment_signed=True, actor=system_actor)
    evidence_add(case=app, filename="缴款凭证.pdf", chunks=[PDF], actor=system_actor)
    user_create(username="eco-rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="审核人",
                department=eco, actor=system_actor)
    return record


def look(page, record, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    page.goto(f"{page.base_url}/public/subjects/{record.subject_id}/")
    block = page.locator(f"[data-record='{record.pk}']")
    assert block.locator("[data-testid=objection-mark]").inner_text() == "异议处理中"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"portal-objection-{width}")


def test_portal_shows_the_record_marked_and_the_unit_reads_its_notices(page, objected):
    for width in (1280, 390):
        look(page, objected, width)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base_url + "/login/")
    page.fill("input[name=username]", "eco-rev")
    page.fill("input[name=password]", "Reviewer#2026x")
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
    assert "未读的信用修复与异议通知" in page.inner_text("#inbox")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
        page.goto(page.base_url + "/repair/notices/")
        assert "已受理核查" in page.inner_text("#notices")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shoot(page, f"repair-notices-{width}")
        page.goto(page.base_url + "/repair/")
        assert "缴款凭证.pdf" in page.inner_text("#applications") and "未扫描" in page.inner_text("#applications")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shoot(page, f"repair-queue-{width}")
    page.goto(page.base_url + "/repair/notices/")
    page.click("button:has-text('全部标为已读')")
    page.wait_for_selector("text=条通知标为已读")
