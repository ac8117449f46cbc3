"""Browser: an enterprise downloads its report from its subject page, opens the verify page from the QR link and sees
it genuine; the report page fits a desktop (1366×900) and a phone (390×844)."""

import subprocess

import pytest
import zxingcpp
from PIL import Image

from pubcredit.subjects.models import Subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)])
def test_download_report_then_verify_from_the_qr_link(chromium, live_server, site, today, tmp_path, monkeypatch,
                                                      viewport):
    monkeypatch.setenv("PUBCREDIT_PUBLIC_BASE_URL", live_server.url)
    width, height = viewport
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                   is_mobile=width < 500, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    subject = Subject.objects.get(name=site[1])
    page.goto(f"{live_server.url}/public/subjects/{subject.pk}/")
    page.click("#report-download")
    page.wait_for_selector("h1:has-text('公共信用信息报告')")
    text = page.inner_text("body")
    assert "四、详细信息" in text and "淄市监罚〔2026〕1号" in text and site[1] in text
    wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40))""", width)
    assert wide == []  # nothing wider than the screen
    page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=False)
    with page.expect_download() as download:
        page.click("a:has-text('下载已签名 PDF')")
    pdf_path = tmp_path / "report.pdf"
    download.value.save_as(pdf_path)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(tmp_path / "cover")], check=True)
    [qr] = zxingcpp.read_barcodes(Image.open(tmp_path / "cover.png"))
    assert qr.text.startswith(f"{live_server.url}/public/reports/ZBXY")
    page.goto(qr.text)
    assert "本平台出具过编号为" in page.inner_text("#registry")
    page.set_input_files("input[name=file]", str(pdf_path))
    page.click("form button:has-text('核验文件')")
    page.wait_for_selector("#verdict")
    assert "真实有效" in page.inner_text("#verdict")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"verify-{width}.png"), full_page=True)
    context.close()
