"""Credit reports (issue 16): rendered and read back with poppler, QR decoded, signatures and tampering, the special
report's period and sources (发改财金〔2025〕565号), authorisation, masking and reproducibility."""

import datetime as dt
import io
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image

from pubcredit.audit.services import SystemActor
from pubcredit.publicity.models import PublicityState
from pubcredit.reports import render, services, signing
from pubcredit.reports.models import Report
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.models import Subject

ACTOR = SystemActor("test")


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def first_page_png(pdf: bytes, tmp_path) -> Image.Image:
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "r.pdf"),
                    str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png")


def issue_public(name):
    return services.report_issue(kind="public", subject=Subject.objects.get(name=name), actor=ACTOR, requester="公众")


def issue_query(subject, department, **kw):
    return services.report_issue(kind="query", subject=subject, actor=ACTOR, requester=department.name,
                                 purpose="政府采购资格审查", procedure="ZB-2026-001 办公设备采购", department=department, **kw)


@pytest.mark.django_db
def test_public_report_pdf_reads_back_in_chinese_and_qr_decodes_to_verify_url(site, tmp_path):
    report = issue_public(site[1])
    text = pdf_text(bytes(report.pdf))
    for heading in ("公共信用信息报告", "公开版", "一、报告说明", "二、基础信息", "三、公共信用信息概要", "四、详细信息",
                    "行政许可信息", "行政处罚信息", "失信名单（黑名单）信息", report.number, site[1], "91370303MA0000010K"):
        assert heading in text
    png = first_page_png(bytes(report.pdf), tmp_path)
    codes = zxingcpp.read_barcodes(png)
    assert [c.text for c in codes] == [f"https://credit.example.cn/public/reports/{report.number}/verify/"]
    # the page is the same template: the same sections and number
    html = render.report_html(report.snapshot, web=True, pdf_url="/x")
    assert "四、详细信息" in html and report.number in html


def page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_text(pdf: bytes, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


@pytest.mark.django_db
def test_details_are_one_table_per_section_with_the_header_on_every_page(eco, department, tmp_path):
    """The layout that makes a PDF fast (bench/reports): one table per section, a row per record, the column header
    repeated on each page; the 已修复 mark is drawn (looked at as pixels of the rendered page)."""
    from tests.factories import uscc
    from tests.publicity.factories import ndrc_penalty, submit

    submit([ndrc_penalty(i + 1, subject_name="淄博版式测试有限公司", subject_uscc=uscc(30)) for i in range(30)],
           department=eco, actor=ACTOR)
    subject = Subject.objects.get(name="淄博版式测试有限公司")
    first = PublicityState.objects.filter(subject=subject).order_by("record__decision_no").first()
    PublicityState.objects.filter(pk=first.pk).update(state="repaired")
    report = issue_query(subject, department)
    html = render.report_html(report.snapshot)
    non_empty = [s for s in report.snapshot["sections"] if s["items"]]
    assert html.count('<table class="records">') == len(non_empty) == 1
    pdf = bytes(report.pdf)
    pages = page_count(pdf)
    assert pages <= 12  # one table per record took about twice as many pages
    detail_pages = [n for n in range(1, pages + 1) if "决定文书号：" in page_text(pdf, n)]
    assert len(detail_pages) >= 2
    for n in detail_pages:
        assert re.search(r"序号\s+事项\s+内容", page_text(pdf, n)), f"page {n} lacks the column header"
    assert sum(page_text(pdf, n).count("决定文书号：") for n in detail_pages) == 30
    number_part = re.escape(first.record.decision_no[first.record.decision_no.index("〔"):])
    marked = next(n for n in detail_pages if re.search(rf"{number_part}(?!\d)", page_text(pdf, n)))
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(marked), "-l", str(marked), "-singlefile",
                    str(tmp_path / "r.pdf"), str(tmp_path / "detail")], check=True)
    image = Image.open(tmp_path / "detail.png").convert("RGB")
    greens = sum(1 for r, g, b in image.get_flattened_data() if g > 90 and r < 60 and b < 90 and g - r > 50)
    assert greens > 20  # the green 已修复 frame and text (#17703a) are drawn


@pytest.mark.django_db
def test_genuine_altered_appended_and_resigned_pdfs(site, tmp_path):
    report = issue_public(site[1])
    pdf = bytes(report.pdf)
    genuine = services.report_file_verify(pdf, number=report.number)
    assert genuine.genuine and genuine.signature.ok
    # one character of the report's text changed inside the signed bytes
    altered = pdf.replace(b"/Producer", b"/Producex", 1)
    assert altered != pdf
    verdict = services.report_file_verify(altered)
    assert not verdict.genuine and not verdict.signature.intact
    # content appended after signing (an incremental update): signature still "intact" but not the whole file
    appended = pdf + b"\n% edited\n"
    verdict = services.report_file_verify(appended)
    assert not verdict.genuine
    # the same content re-signed with another (self-made) key
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: F401 - pyHanko present
    from pyhanko.sign import signers
    other_key, other_cert = signing.demo_pair_create(tmp_path / "other")
    unsigned = render.report_pdf(report.snapshot)
    resigned = signing.sign_pdf(unsigned, reason="forged", signing_signer=signers.SimpleSigner.load(
        str(other_key), str(other_cert)))
    verdict = services.report_file_verify(resigned, number=report.number)
    assert not verdict.genuine and verdict.signature.intact and not verdict.signature.trusted
    assert "不是本平台的签章证书所签" in verdict.message_zh
    # a wrong number for a genuine file
    assert not services.report_file_verify(pdf, number="ZBXY000").genuine


@pytest.mark.django_db
def test_verify_command_exit_codes(site, tmp_path):
    from django.core.management import CommandError, call_command

    report = issue_public(site[1])
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(bytes(report.pdf))
    bad.write_bytes(bytes(report.pdf) + b"x")
    out = io.StringIO()
    call_command("verify_report", str(good), stdout=out)
    assert "真实有效" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify_report", str(bad), stdout=io.StringIO())


@pytest.mark.django_db
def test_verify_api_known_and_unknown_number(site, client):
    report = issue_public(site[1])
    ok = client.get(f"/api/v1/reports/{report.number}/verify").json()
    assert ok["issued"] and ok["subject_name"] == site[1] and ok["content_hash"] == report.content_hash
    assert not ok["newer_exists"]
    missing = client.get("/api/v1/reports/ZBXY2026120100000000/verify")
    assert missing.status_code == 404 and missing.json()["code"] == "report.not_found"
    page = client.get(f"/public/reports/{report.number}/verify/")
    assert page.status_code == 200 and "本平台出具过编号为" in page.content.decode()
    upload = client.post(f"/public/reports/{report.number}/verify/",
                         {"file": io.BytesIO(bytes(report.pdf) + b"%x")})
    assert "不是真实有效的报告" in upload.content.decode()


@pytest.mark.django_db
def test_reproducible_after_a_later_repair_and_verify_says_newer_exists(site, client):
    report = issue_public(site[1])
    snapshot_hash = report.content_hash
    PublicityState.objects.filter(subject=report.subject, record__class_code="admin_penalty").update(state="repaired")
    again = Report.objects.get(pk=report.pk)
    assert services.audit.content_hash(again.snapshot) == snapshot_hash
    assert render.report_html(again.snapshot) == render.report_html(report.snapshot)
    assert services.registration(report.number).newer_exists


@pytest.mark.django_db
def test_565_special_report_period_at_most_five_years_and_not_future(list_site, department, today):
    subject = Subject.objects.get(name=list_site[13])
    kw = dict(kind="special", subject=subject, actor=ACTOR, requester="x", purpose="招投标", procedure="ZB-1",
              department=department)
    end = today
    with pytest.raises(DomainError) as too_long:
        services.report_issue(**kw, period_from=end.replace(year=end.year - 5) - dt.timedelta(days=1), period_to=end)
    assert too_long.value.code == "report.period_too_long"
    with pytest.raises(DomainError) as future:
        services.report_issue(**kw, period_from=end, period_to=end + dt.timedelta(days=1))
    assert future.value.code == "report.period_future"
    report = services.report_issue(**kw, period_from=end.replace(year=end.year - 5), period_to=end)
    text = pdf_text(bytes(report.pdf))
    for source in ("行政处罚信息", "行政强制信息", "严重失信主体名单信息", "刑事裁判（犯罪记录）信息"):
        assert source in text
    # all four sources are in the catalogue: each is checked, and an empty one says so
    assert "未核查" not in text and "查询期间内无行政强制记录" in text and "查询期间内无刑事裁判（犯罪记录）记录" in text
    assert "市场监督管理严重违法失信名单" in text or "严重违法失信" in text  # the SAMR serious entry is listed


@pytest.mark.django_db
def test_repaired_penalty_marked_in_special_report(site, eco, today):
    subject = Subject.objects.get(name=site[1])
    PublicityState.objects.filter(subject=subject, record__class_code="admin_penalty").update(state="repaired")
    report = services.report_issue(kind="special", subject=subject, actor=ACTOR, requester="x", purpose="招投标",
                                   procedure="ZB-2", department=eco, period_from=today.replace(year=today.year - 5),
                                   period_to=today)
    assert "已修复" in pdf_text(bytes(report.pdf))


@pytest.mark.django_db
def test_natural_person_query_report_needs_authorisation(list_site, department, today):
    person = Subject.objects.get(name="张三")
    with pytest.raises(DomainError) as refused:
        issue_query(person, department)
    assert refused.value.code == "report.authorisation_required"
    services.authorisation_record(subject=person, department=department, scope="招聘资格审查", valid_from=today,
                                  valid_until=today + dt.timedelta(days=30), document_ref="SQ-1",
                                  document=b"%PDF signed", actor=ACTOR)
    report = issue_query(person, department)
    assert report.authorisation is not None


@pytest.mark.django_db
def test_natural_person_public_report_masks_the_identity_number(list_site):
    person = Subject.objects.get(name="张三")
    report = issue_public("张三")
    text = pdf_text(bytes(report.pdf))
    assert person.id_masked in text
    assert not re.search(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9])", text)


@pytest.mark.django_db
def test_unknown_subject_gets_no_clean_report():
    with pytest.raises(DomainError) as missing:
        services.report_issue(kind="public", subject=services.subject_by_code("91370303MA0000099Q"), actor=ACTOR,
                              requester="x")
    assert missing.value.code == "report_subject.not_found"


@pytest.mark.django_db
def test_batch_renders_zip_with_manifest(site, department, today):
    import zipfile

    batch = services.report_batch_submit(codes=["91370303MA0000010K", "91370303MA0000099Q"], kind="query",
                                         department=department, requester="采购中心", purpose="招投标",
                                         procedure="ZB-3", period_from=None, period_to=None, actor=ACTOR)
    services.report_batch_render(batch.pk, actor_label="test")
    batch.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(bytes(batch.archive)))
    names = archive.namelist()
    assert "manifest.csv" in names and len([n for n in names if n.endswith(".pdf")]) == 1
    manifest = archive.read("manifest.csv").decode("utf-8-sig")
    assert "已出具" in manifest and "未找到该信用主体" in manifest


@pytest.mark.django_db
def test_evaluation_class_only_in_the_query_version_a_department_receives(site, department, system_actor, today):
    """docs/evaluation.md "Internal to government": the class is for government staff only, never public; the special
    report carries the four sources of 发改财金〔2025〕565号 only."""
    from pubcredit.evaluation import services as evaluation
    from pubcredit.evaluation.selectors import current_class

    subject = Subject.objects.get(name=site[1])
    run = evaluation.evaluation_run_start(actor=system_actor, as_of=today, subject_ids=[subject.pk], enqueue=False)
    evaluation.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    current = current_class(subject=subject)
    assert current is not None
    report = issue_query(subject, department)
    query = re.sub(r"\s+", "", pdf_text(bytes(report.pdf)))
    assert "公共信用综合评价结果" in query
    assert f"{current.class_name_zh}（{current.grade}级" in query and f"信用类别：{current.class_name_zh}" in query
    assert "不作为失信惩戒的依据" in render.report_html(report.snapshot)
    public = pdf_text(bytes(issue_public(site[1]).pdf))
    special = pdf_text(bytes(services.report_issue(
        kind="special", subject=subject, actor=ACTOR, requester="x", purpose="招投标", procedure="ZB-4",
        department=department, period_from=today.replace(year=today.year - 1), period_to=today).pdf))
    for text in (public, special):
        assert "综合评价" not in text and f"（{current.grade}级）" not in text


@pytest.mark.django_db
def test_query_version_says_when_a_subject_was_never_evaluated(site, department):
    text = pdf_text(bytes(issue_query(Subject.objects.get(name=site[2]), department).pdf))
    assert "该主体尚无公共信用综合评价结果" in text


def compulsion_row(n, **overrides):
    row = {"subject_name": "淄博鑫源化工有限公司", "subject_category": "法人及非法人组织",
           "subject_uscc": "91370303MA0000010K", "decision_no": f"淄环强〔2026〕{n}号", "decision_date": "2026-03-02",
           "compulsion_kind": "行政强制措施", "compulsion_types": "查封；扣押", "compulsion_facts": "超标排放，拒不改正",
           "compulsion_basis": "《中华人民共和国大气污染防治法》", "authority_name": "淄博市生态环境局",
           "source_name": "淄博市生态环境局", "source_uscc": "11370300MB2851235E"}
    return row | overrides


def judgment_row(n, **overrides):
    row = {"subject_name": "淄博鑫源化工有限公司", "subject_category": "法人及非法人组织",
           "subject_uscc": "91370303MA0000010K", "decision_no": f"（2025）鲁0303刑初{n}号", "decision_date": "2025-06-10",
           "court_name": "淄博市张店区人民法院", "charges": "污染环境罪", "sentence": "判处罚金人民币二十万元",
           "source_name": "淄博市中级人民法院", "source_uscc": "11370300MB2851235E"}
    return row | overrides


@pytest.mark.django_db
def test_565_special_report_reads_compulsion_and_criminal_judgments_within_the_period(site, eco, department, today,
                                                                                      monkeypatch):
    from pubcredit.reports import selectors
    from tests.publicity.factories import submit

    submit([compulsion_row(1), compulsion_row(2, decision_date="2019-05-05")], department=eco, actor=ACTOR,
           class_code="admin_compulsion")
    submit([judgment_row(7)], department=eco, actor=ACTOR, class_code="criminal_judgment")
    subject = Subject.objects.get(name=site[1])

    def special(**period):
        return services.report_issue(kind="special", subject=subject, actor=ACTOR, requester="x", purpose="招投标",
                                     procedure="ZB-5", department=department, **period)

    report = special(period_from=today.replace(year=today.year - 3), period_to=today)
    text = re.sub(r"\s+", "", pdf_text(bytes(report.pdf)))
    assert "淄环强〔2026〕1号" in text and "淄环强〔2026〕2号" not in text  # the 2019 one lies before the period
    assert "查封场所、设施或者财物" in text and "（2025）鲁0303刑初7号" in text and "污染环境罪" in text
    checked = {c["source"]: c for c in report.snapshot["checked_sources"]}
    assert checked["行政强制信息"]["count"] == 1 and "行政强制方式" in checked["行政强制信息"]["fields"]
    assert checked["刑事裁判（犯罪记录）信息"]["count"] == 1 and "罪名" in checked["刑事裁判（犯罪记录）信息"]["fields"]
    # a source the catalogue lacks on the issue day is "not checked", never "no records"
    monkeypatch.setattr(selectors, "_class_exists", lambda code: code != "criminal_judgment")
    text = pdf_text(bytes(special(period_from=today.replace(year=today.year - 3), period_to=today).pdf))
    assert "未核查" in text and "查询期间内无刑事裁判" not in text and "鲁0303刑初7号" not in text


@pytest.mark.django_db
def test_commitments_and_their_fulfilment_are_a_section_of_the_query_report(department, system_actor, today):
    """Issue 16 item 1 (详细信息: commitments and fulfilment): a commitment is a record of class credit_commitment
    (docs/commitments.md), so it is its own section, with its 履约状态, and a breach is in the report too."""
    from pubcredit.commitments.services import commitment_accept, commitment_breach_record
    from tests.commitments.helpers import commitment

    record = commitment_accept(department=department, values=commitment(1), actor=system_actor)
    commitment_accept(department=department, values=commitment(1, decision_no="淄市监承诺〔2026〕2号",
                                                               approval_no="SP-2026-0002"), actor=system_actor)
    commitment_breach_record(record=record, department=department, evidence="核查发现无冷藏设施，与承诺不符",
                             decided_on="2026-11-20", actor=system_actor)
    report = issue_query(record.subject, department)
    titles = {s["title"]: s for s in report.snapshot["sections"]}
    kept = titles["信用承诺信息"]["items"]
    assert len(kept) == 2
    text = pdf_text(bytes(report.pdf))
    assert "信用承诺信息" in text and "已违诺" in text and "履约中" in text
    assert "违背信用承诺信息" in titles, "a class named …信息 is not titled …信息信息"
    assert not any(title.endswith("信息信息") for title in titles)
