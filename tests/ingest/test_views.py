"""Collection pages: upload → batch page, downloads, open rejections, the entry form, the catalogue; access."""

import csv
import io
import pytest
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.catalog.registry import get_class
from pubcredit.ingest import views
from pubcredit.ingest.forms import spool_upload
from pubcredit.ingest.models import Batch, RejectedRow
from pubcredit.ingest.services import batch_create, batch_submit_records
from pubcredit.records.models import CreditRecord
from tests.factories import penalty, person_penalty
from tests.ingest.files import penalties, table, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def sync(settings):
    settings.PUBCREDIT_IMPORT_SYNC = True


@pytest.fixture
def business_user(department, system_actor):
    return user_create(username="checker", password="Checker#2026", role=Role.BUSINESS_USER, department=department,
                       actor=system_actor)


@pytest.fixture
def provider_client(client, provider, today):
    client.force_login(provider)
    return client


def upload(client, path, class_code="admin_penalty", **extra):
    with open(path, "rb") as fh:
        return client.post(reverse("ingest:upload"), {"class_code": class_code, "file": fh, **extra})


def three_rows_one_bad(tmp_path, name="处罚.csv"):
    rows = table(penalties(2) + [penalty(3, decision_date="2099-01-01")])
    return write_csv(tmp_path / name, rows)


# --- access ----------------------------------------------------------------------------------------------------

PAGES = [("ingest:upload", []), ("ingest:batch_list", []), ("ingest:rejection_list", []), ("ingest:catalog", []),
         ("ingest:record_new", ["admin_penalty"])]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_need_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_business_users_get_403(client, business_user, name, args):
    client.force_login(business_user)
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_providers_and_operators_get_the_pages(client, provider, operator, name, args, today):
    for user in (provider, operator):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 200


def test_only_operators_pick_the_department(client, provider, operator, department, today):
    client.force_login(provider)
    assert 'name="submitting_department"' not in client.get(reverse("ingest:upload")).content.decode()
    client.force_login(operator)
    page = client.get(reverse("ingest:upload")).content.decode()
    assert 'name="submitting_department"' in page and department.name in page


# --- upload and the batch page ---------------------------------------------------------------------------------


def test_upload_runs_and_batch_page_shows_the_summary(provider_client, sync, tmp_path, department):
    response = upload(provider_client, three_rows_one_bad(tmp_path))
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ingest:batch_detail", args=[batch.pk])
    assert (batch.department, batch.channel, batch.filename, batch.status) == (department, "file", "处罚.csv", "done")
    page = provider_client.get(response["Location"]).content.decode()
    for label, value in [("接收", 3), ("入库", 2), ("新增", 2), ("更新", 0), ("未变化", 0), ("退回", 1), ("按时", 2),
                         ("超期", 0)]:
        assert f'data-count="{label}">{value}<' in page, label
    assert "处罚决定日期" in page  # the field's Chinese label in the rejected rows table
    assert 'id="rejected-rows"' in page and "<td>3</td>" in page
    assert reverse("ingest:batch_rejections", args=[batch.pk, "csv"]) in page
    assert reverse("ingest:batch_rejections", args=[batch.pk, "xlsx"]) in page
    assert "hx-get" not in page  # done: nothing polls any more


def test_upload_temp_file_is_removed(provider_client, sync, tmp_path, monkeypatch):
    seen = []
    real = views.batch_import_file

    def spy(*, path, **kwargs):
        seen.append(path)
        assert path.exists()
        return real(path=path, **kwargs)

    monkeypatch.setattr(views, "batch_import_file", spy)
    upload(provider_client, three_rows_one_bad(tmp_path))
    assert seen and not seen[0].exists()


def test_running_batch_shows_progress_and_polls(provider_client, provider, department):
    batch = batch_create(info_class=get_class("admin_penalty"), department=department, channel="file",
                         actor=provider, filename="big.csv")
    Batch.objects.filter(pk=batch.pk).update(status="processing", total_rows=20000, rows_done=5000)
    page = provider_client.get(reverse("ingest:batch_detail", args=[batch.pk])).content.decode()
    assert '<progress id="batch-progress" max="20000" value="5000">' in page
    progress_url = reverse("ingest:batch_progress", args=[batch.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    fragment = provider_client.get(progress_url).content.decode()
    assert "<html" not in fragment and 'value="5000"' in fragment and "25%" in fragment


def test_refused_file_shows_the_missing_columns(provider_client, sync, tmp_path):
    rows = [[c for i, c in enumerate(r) if i != 6] for r in table(penalties(1))]
    response = upload(provider_client, write_csv(tmp_path / "缺列.csv", rows))
    page = provider_client.get(response["Location"]).content.decode()
    assert "整批退回" in page and "行政处罚决定书文号" in page and "CF_WSH" in page


def test_upload_form_errors(provider_client, sync, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4")
    response = upload(provider_client, path)
    assert response.status_code == 400 and "只支持" in response.content.decode()
    assert Batch.objects.count() == 0


def test_batch_download_csv_and_xlsx(provider_client, sync, tmp_path):
    upload(provider_client, three_rows_one_bad(tmp_path))
    batch = Batch.objects.get()
    response = provider_client.get(reverse("ingest:batch_rejections", args=[batch.pk, "csv"]))
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][0] == "行政相对人名称" and rows[0][-1] == "错误原因"
    assert rows[1][-2] == "3" and rows[1][-1].startswith("处罚决定日期：")
    xlsx = provider_client.get(reverse("ingest:batch_rejections", args=[batch.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_other_departments_batches_are_hidden_from_providers(client, provider, operator, district_department,
                                                            system_actor, today):
    batch = batch_submit_records(class_code="admin_penalty", records=[penalty(9, decision_date="2099-01-01")],
                                 department=district_department, actor=system_actor)
    client.force_login(provider)
    assert client.get(reverse("ingest:batch_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("ingest:batch_rejections", args=[batch.pk, "csv"])).status_code == 404
    assert f">{batch.pk}</a>" not in client.get(reverse("ingest:batch_list")).content.decode()
    assert "暂无待修正的退回数据" in client.get(reverse("ingest:rejection_list")).content.decode()
    client.force_login(operator)
    assert client.get(reverse("ingest:batch_detail", args=[batch.pk])).status_code == 200
    listing = client.get(reverse("ingest:batch_list")).content.decode()
    assert f">{batch.pk}</a>" in listing and district_department.name in listing
    assert "处罚决定日期" in client.get(reverse("ingest:rejection_list")).content.decode()


def test_open_rejections_page_until_fixed(provider_client, sync, tmp_path):
    upload(provider_client, three_rows_one_bad(tmp_path))
    page = provider_client.get(reverse("ingest:rejection_list")).content.decode()
    assert 'data-status="open"' in page and "处罚决定日期：" in page
    fixed = write_csv(tmp_path / "fixed.csv", table([penalty(3)]))
    upload(provider_client, fixed)
    page = provider_client.get(reverse("ingest:rejection_list")).content.decode()
    assert 'data-status="open"' not in page and "暂无待修正的退回数据" in page
    page = provider_client.get(reverse("ingest:rejection_list"), {"status": "resolved"}).content.decode()
    assert 'data-status="resolved"' in page


def test_background_job_imports_and_deletes_the_upload(provider, tmp_path, today, monkeypatch):
    """Without the sync setting the import is a queued job; start_import hands back the batch at once."""
    path = three_rows_one_bad(tmp_path)
    saved = spool_upload(SimpleUploadedFile("处罚.csv", path.read_bytes()))
    batch = views.start_import(path=saved, class_code="admin_penalty", department=provider.department,
                               actor=provider, filename="处罚.csv")
    assert batch.status == "received" and saved.exists()
    # in-process, the worker must not close the test transaction's connection (tests/jobs/conftest.py run_worker)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("pubcredit.jobs.housekeeping.Housekeeping.start", lambda self: None)
    call_command("worker", batch=True, interval=0)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.summary["created"] == 2
    assert not saved.exists()


# --- the entry form --------------------------------------------------------------------------------------------


def form_data(row: dict) -> dict:
    data = {k: v for k, v in row.items() if v is not None}
    data["subject_category"] = "legal_person" if row.get("subject_category") != "自然人" else "natural_person"
    data["penalty_types"] = ["fine"]
    if row.get("id_type"):
        data["id_type"] = "resident_id"
    return data


def test_form_is_built_from_the_catalogue(provider_client):
    page = provider_client.get(reverse("ingest:record_new", args=["admin_penalty"])).content.decode()
    assert "行政相对人名称" in page and "逐条录入：行政处罚" in page
    assert '<option value="legal_person">法人及非法人组织</option>' in page  # enum as select with Chinese labels
    assert 'type="date"' in page and 'name="decision_date"' in page
    assert 'class="req"' in page  # required marker
    assert "条件必填" in page  # conditional requirement explained
    assert "万元" in page  # unit in the help text


def test_form_rejection_keeps_values_and_shows_errors_by_field(provider_client):
    data = form_data(penalty(5, decision_date="2099-01-01", subject_uscc="91370303MA0000050X"))
    response = provider_client.post(reverse("ingest:record_new", args=["admin_penalty"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "未入库" in page
    form = response.context["form"]
    assert set(form.errors) >= {"decision_date", "subject_uscc"}
    assert 'value="淄市监罚〔2026〕5号"' in page and 'value="2099-01-01"' in page  # entered values kept
    block = page[page.index('data-field="decision_date"'):]
    block = block[:block.index('<div class="field')] if '<div class="field' in block else block
    assert "errorlist" in block
    assert CreditRecord.objects.count() == 0
    assert RejectedRow.objects.get().batch.channel == "form"


def test_form_success_created_then_unchanged_then_updated(provider_client):
    url = reverse("ingest:record_new", args=["admin_penalty"])
    response = provider_client.post(url, form_data(penalty(6)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-outcome="created"' in page and "淄市监罚〔2026〕6号" in page and "淄博测试化工有限公司6" in page
    assert Batch.objects.get().channel == "form"
    page = provider_client.post(url, form_data(penalty(6))).content.decode()
    assert 'data-outcome="unchanged"' in page and "淄市监罚〔2026〕6号" in page
    page = provider_client.post(url, form_data(penalty(6, penalty_content="罚款2万元"))).content.decode()
    assert 'data-outcome="updated"' in page and "v2" in page
    assert CreditRecord.objects.get().version == 2


def test_form_person_record_is_masked_on_the_result(provider_client):
    row = person_penalty(7)
    page = provider_client.post(reverse("ingest:record_new", args=["admin_penalty"]), form_data(row)).content.decode()
    assert 'data-outcome="created"' in page
    assert row["id_number"] not in page and row["id_number"][:6] + "********" in page


def test_operator_form_needs_a_department(client, operator, department, today):
    client.force_login(operator)
    url = reverse("ingest:record_new", args=["admin_penalty"])
    response = client.post(url, form_data(penalty(8)))
    assert response.status_code == 400 and "submitting_department" in response.context["form"].errors
    response = client.post(url, {**form_data(penalty(8)), "submitting_department": department.pk})
    assert 'data-outcome="created"' in response.content.decode()
    assert CreditRecord.objects.get().department == department


def test_unknown_class_form_is_404(provider_client):
    assert provider_client.get(reverse("ingest:record_new", args=["no_such_class"])).status_code == 404


def test_catalogue_page_links_templates_and_forms(provider_client):
    page = provider_client.get(reverse("ingest:catalog")).content.decode()
    assert "/api/v1/catalog/admin_penalty/template.xlsx" in page
    assert reverse("ingest:record_new", args=["admin_penalty"]) in page
    assert "行政许可" in page


# --- forms that know the clerk (issue 21) ------------------------------------------------------------------------


def test_penalty_file_under_licence_class_offers_the_penalty_class(provider_client, sync, tmp_path):
    path = write_csv(tmp_path / "处罚.csv", table(penalties(2)))
    response = upload(provider_client, path, class_code="admin_license")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="class-suggestion"' in page
    assert "看起来是行政处罚" in page and "按行政处罚导入" in page
    assert Batch.objects.count() == 0  # nothing imported until the clerk answers
    response = provider_client.post(reverse("ingest:upload"), {"pending_class": "suggested"})
    batch = Batch.objects.get()
    assert response.status_code == 302 and (batch.class_code, batch.status, batch.filename) == (
        "admin_penalty", "done", "处罚.csv")
    assert CreditRecord.objects.filter(class_code="admin_penalty").count() == 2


def test_clerk_may_keep_the_chosen_class_after_the_suggestion(provider_client, sync, tmp_path):
    upload(provider_client, write_csv(tmp_path / "处罚.csv", table(penalties(1))), class_code="admin_license")
    provider_client.post(reverse("ingest:upload"), {"pending_class": "chosen"})
    batch = Batch.objects.get()
    assert (batch.class_code, batch.status) == ("admin_license", "refused")  # the clerk's choice, refused as before


def test_fitting_file_is_imported_without_a_question(provider_client, sync, tmp_path):
    response = upload(provider_client, write_csv(tmp_path / "处罚.csv", table(penalties(1))))
    assert response.status_code == 302 and Batch.objects.get().class_code == "admin_penalty"


def test_record_form_prefills_the_clerks_department_as_authority_and_source(provider_client, department):
    form = provider_client.get(reverse("ingest:record_new", args=["admin_penalty"])).context["form"]
    assert form["authority_name"].value() == department.name == form["source_name"].value()
    assert form["authority_uscc"].value() == department.uscc == form["source_uscc"].value()


def test_upload_class_choices_show_names_not_codes(provider_client):
    page = provider_client.get(reverse("ingest:upload")).content.decode()
    assert ">行政处罚</option>" in page and "（admin_penalty）" not in page


def test_rejected_rows_show_whose_row_it_is_and_say_the_field_once(provider_client, sync, tmp_path):
    upload(provider_client, three_rows_one_bad(tmp_path))
    rejected = RejectedRow.objects.get()
    page = provider_client.get(reverse("ingest:rejection_list")).content.decode()
    row = page[page.index('data-status="open"'):]
    row = row[:row.index("</tr>")]
    assert "淄博测试化工有限公司3" in row and rejected.decision_no in row  # the subject's name and the document no.
    assert "处罚决定日期：处罚决定日期" not in row and row.count("处罚决定日期") == 1
