"""Browser: an enterprise logs in, issues and downloads its own report (我的信用报告), opens the verify page from the QR
link in the PDF and sees it genuine; anyone downloads a public version from a subject page the same way. The pages fit
a desktop (1366×900) and a phone (390×844)."""

import subprocess

import pytest
import zxingcpp
from PIL import Image

from pubcredit.subjects.models import Subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def nothing_wider_than(page, width) -> list[str]:
    return page.evaluate("""(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40))""", width)


def verify_from_the_qr_then_upload(page, pdf_path, tmp_path, base_url, width) -> None:
    """Decode the QR of the PDF's cover (rendered by poppler), open its link, upload the file: genuine."""
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(tmp_path / "cover")], check=True)
    [qr] = zxingcpp.read_barcodes(Image.open(tmp_path / "cover.png"))
    assert qr.text.startswith(f"{base_url}/public/reports/ZBXY") and qr.text.endswith("/verify/")
    page.goto(qr.text)
    assert "本平台出具过编号为" in page.inner_text("#registry")
    page.set_input_files("input[name=file]", str(pdf_path))
    page.click("form button:has-text('核验文件')")
    page.wait_for_selector("#verdict")
    assert "真实有效" in page.inner_text("#verdict")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"verify-{width}.png"), full_page=True)


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)])
def test_enterprise_logs_in_downloads_its_report_and_verifies_it_from_the_qr_link(
        chromium, live_server, site, system_actor, tmp_path, monkeypatch, viewport):
    from pubcredit.accounts.services import enterprise_account_create
    from tests.factories import uscc

    monkeypatch.setenv("PUBCREDIT_PUBLIC_BASE_URL", live_server.url)
    enterprise_account_create(username="xinyuan", password="Qiye-pass-2026", uscc=uscc(1), enterprise_name=site[1],
                              display_name="刘会计", actor=system_actor)
    width, height = viewport
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                   is_mobile=width < 500, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/public/account/login/")
    page.fill("input[name=username]", "xinyuan")
    page.fill("input[name=password]", "Qiye-pass-2026")
    page.click("form.enterprise-login button[type=submit]")
    page.wait_for_url("**/public/account/")
    page.click("#my-reports")
    page.wait_for_url("**/public/reports/mine/")
    assert nothing_wider_than(page, width) == []
    page.screenshot(path=str(tmp_path / f"mine-{width}.png"), full_page=True)
    page.select_option("select[name=kind]", "query")
    page.fill("input[name=purpose]", "参加招投标")
    page.fill("input[name=procedure]", "ZB-2026-009 道路养护")
    page.click("#issue-report")
    page.wait_for_selector("h1:has-text('公共信用信息报告')")
    text = page.inner_text("body")
    # the query version of its own enterprise: also the penalty no longer published (2024), with the requester named
    assert "查询版" in text and "淄市监罚〔2026〕5号" in text and "企业用户自助查询：刘会计" in text
    assert nothing_wider_than(page, width) == []
    page.screenshot(path=str(tmp_path / f"own-report-{width}.png"))
    with page.expect_download() as download:
        page.click("a:has-text('下载已签名 PDF')")
    pdf_path = tmp_path / "own-report.pdf"
    download.value.save_as(pdf_path)
    verify_from_the_qr_then_upload(page, pdf_path, tmp_path, live_server.url, width)
    page.goto(f"{live_server.url}/public/reports/mine/")
    assert page.locator("li.report-row").count() == 1  # the enterprise finds it again
    context.close()


def test_download_public_report_then_verify_from_the_qr_link(chromium, live_server, site, today, tmp_path, monkeypatch):
    monkeypatch.setenv("PUBCREDIT_PUBLIC_BASE_URL", live_server.url)
    width, height = 1366, 900
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    subject = Subject.objects.get(name=site[1])
    page.goto(f"{live_server.url}/public/subjects/{subject.pk}/")
    page.click("#report-download")
    page.wait_for_selector("h1:has-text('公共信用信息报告')")
    text = page.inner_text("body")
    assert "四、详细信息" in text and "淄市监罚〔2026〕1号" in text and site[1] in text
    assert nothing_wider_than(page, width) == []
    page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=False)
    with page.expect_download() as download:
        page.click("a:has-text('下载已签名 PDF')")
    pdf_path = tmp_path / "report.pdf"
    download.value.save_as(pdf_path)
    verify_from_the_qr_then_upload(page, pdf_path, tmp_path, live_server.url, width)
    context.close()
