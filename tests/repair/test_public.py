"""The public site's repair pages (issue 13 items 2, 3, 6): an enterprise sees its own items — published or not — with
their eligibility, applies with proof files and the signed 信用承诺书 from the rulebook, follows and supplements its
application; anyone objects to a published record. Bad input: not its item, an ineligible item, a second open
application, a file that is not what its extension says — each a clear error, nothing kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pubcredit.accounts.services import enterprise_account_create
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.models import Evidence, Objection, RepairApplication
from pubcredit.repair.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules.repair import RepairRulebookError, parse_rulebook
from pubcredit.rulebook.loader import load_yaml
from tests.factories import uscc
from tests.publicity.factories import eco_department, ndrc_penalty, submit
from tests.repair.test_evidence import PDF, image_bytes

PNG = image_bytes("PNG")

pytestmark = pytest.mark.django_db
D = dt.date
PASSWORD = "Qiye-public-2026"


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.PUBCREDIT_REPAIR_EVIDENCE_DIR = tmp_path / "evidence"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = ""
    return tmp_path / "evidence"


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def records(eco, system_actor):
    """Two penalties of enterprise 1 (one eligible from 2026-07-15, one decided recently) and one of enterprise 2."""
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15"),
                     ndrc_penalty(2, decision_date="2026-04-15", valid_until="2026-04-15")],
                    department=eco, actor=system_actor, when="2026-04-20")
    recent = submit([ndrc_penalty(1, decision_no="淄环罚〔2026〕新1号", decision_date="2026-11-10",
                                  valid_until="2026-11-10")], department=eco, actor=system_actor, when="2026-11-12")
    own, other = CreditRecord.objects.filter(pk__in=result.record_ids).order_by("pk")
    return {"own": own, "other": other, "recent": CreditRecord.objects.get(pk=recent.record_ids[0])}


@pytest.fixture
def enterprise(client, system_actor, today):
    account = enterprise_account_create(username="qiye-a", password=PASSWORD, uscc=uscc(1),
                                        enterprise_name="淄博测试化工有限公司1", display_name="王经理",
                                        contact_phone="13800000001", actor=system_actor)
    client.force_login(account.user)
    return account


def form(**kw):
    values = {"contact_name": "王经理", "contact_phone": "13800000001", "contact_email": "",
              "proof_description": "罚款已于2026年5月缴清", "signed_by": "张三", "commitment_signed": "yes"}
    values.update(kw)
    return values


def test_the_enterprise_sees_its_own_items_with_eligibility_even_unpublished(client, enterprise, records):
    PublicityState.objects.filter(record=records["own"]).update(state="withheld")  # never shown publicly
    page = client.get(reverse("repair_public:items"))
    body = page.content.decode()
    assert page.status_code == 200
    assert records["own"].decision_no in body and records["recent"].decision_no in body
    assert records["other"].decision_no not in body  # another enterprise's
    assert 'data-eligible="no"' in body and "起可以申请" in body  # the recent one: minimum period running


def test_apply_with_proof_files_and_the_signed_commitment_from_the_rulebook(client, enterprise, records, evidence_dir):
    url = reverse("repair_public:apply", args=[records["own"].pk])
    page = client.get(url).content.decode()
    assert "信用承诺书" in page and records["own"].decision_no in page and "第二十五条" in page
    done = client.post(url, form(files=[SimpleUploadedFile("缴款凭证.pdf", PDF), SimpleUploadedFile("现场.png", PNG)]))
    assert done.status_code == 302
    app = RepairApplication.objects.get()
    assert app.state == "received" and app.subject.uscc == uscc(1) and app.accept_due == D(2026, 11, 25)
    assert "签署人：张三" in app.commitment_text and "第十四条" in app.commitment_text
    assert sorted(Evidence.objects.filter(application=app).values_list("original_name", flat=True)) == [
        "现场.png", "缴款凭证.pdf"]
    listing = client.get(reverse("repair_public:items")).content.decode()
    assert f'data-application="{app.pk}"' in listing and "2026年11月25日前决定是否受理" in listing


def test_a_file_that_is_not_what_its_extension_says_refuses_the_whole_application(client, enterprise, records,
                                                                                 evidence_dir):
    url = reverse("repair_public:apply", args=[records["own"].pk])
    page = client.post(url, form(proof_description="已整改", files=[SimpleUploadedFile("a.pdf", PDF),
                                                                   SimpleUploadedFile("b.pdf", PNG)]))
    assert page.status_code == 400 and "与扩展名“.pdf”不符" in page.content.decode()
    assert "已整改" in page.content.decode()  # what was typed is kept
    assert not RepairApplication.objects.exists() and not Evidence.objects.exists()
    assert [p for p in evidence_dir.rglob("*") if p.is_file()] == []


def test_unsigned_commitment_and_missing_proof_are_named(client, enterprise, records, evidence_dir):
    url = reverse("repair_public:apply", args=[records["own"].pk])
    page = client.post(url, form(commitment_signed="", proof_description=""))
    assert page.status_code == 400 and "请说明纠正失信行为" in page.content.decode()
    page = client.post(url, form(commitment_signed=""))
    assert "须签署信用承诺书" in page.content.decode()
    assert not RepairApplication.objects.exists()


def test_not_its_item_ineligible_and_second_open_application_are_refused(client, enterprise, records, evidence_dir):
    assert client.get(reverse("repair_public:apply", args=[records["other"].pk])).status_code == 404
    ineligible = client.post(reverse("repair_public:apply", args=[records["recent"].pk]), form())
    assert ineligible.status_code == 400 and not RepairApplication.objects.exists()
    url = reverse("repair_public:apply", args=[records["own"].pk])
    assert client.post(url, form()).status_code == 302
    again = client.post(url, form())
    assert again.status_code == 400 and "已有办理中的信用修复申请" in again.content.decode()
    assert RepairApplication.objects.count() == 1


def test_one_time_notice_then_supplement_on_the_public_site(client, enterprise, records, eco, system_actor,
                                                            evidence_dir):
    client.post(reverse("repair_public:apply", args=[records["own"].pk]), form())
    app = RepairApplication.objects.get()
    services.repair_application_notice(application=app, missing="缺少罚款缴纳凭证", department=eco, actor=system_actor)
    listing = client.get(reverse("repair_public:items")).content.decode()
    assert "缺少罚款缴纳凭证" in listing and "提交补正" in listing
    client.post(reverse("repair_public:supplement", args=[app.pk]),
                {"proof_description": "补交缴款书", "files": [SimpleUploadedFile("缴款书.pdf", PDF)]})
    app.refresh_from_db()
    assert app.state == "received" and "补交缴款书" in app.proof_description
    assert Evidence.objects.filter(application=app, original_name="缴款书.pdf").exists()
    client.post(reverse("repair_public:withdraw", args=[app.pk]))
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_anyone_objects_to_a_published_record_not_to_an_unpublished_one(client, records, evidence_dir, today):
    url = reverse("repair_public:objection", args=[records["own"].pk])
    assert "异议申诉" in client.get(url).content.decode()
    refused = client.post(url, {"kind": "content", "objector_name": "李律师", "objector_contact": "13900000000",
                                "grounds": ""})
    assert refused.status_code == 400 and not Objection.objects.exists()
    done = client.post(url, {"kind": "content", "objector_name": "李律师", "objector_contact": "13900000000",
                             "grounds": "罚款金额登记有误", "files": [SimpleUploadedFile("决定书.pdf", PDF)]},
                       follow=True)
    assert "异议已提交" in done.content.decode()
    obj = Objection.objects.get()
    assert obj.grounds == "【公示内容有误】罚款金额登记有误" and obj.evidence.count() == 1
    PublicityState.objects.filter(record=records["other"]).update(state="withheld")
    assert client.get(reverse("repair_public:objection", args=[records["other"].pk])).status_code == 404


def test_the_enterprise_objects_to_its_own_unpublished_record(client, enterprise, records, evidence_dir):
    PublicityState.objects.filter(record=records["own"]).update(state="withheld")
    url = reverse("repair_public:objection", args=[records["own"].pk])
    page = client.get(url).content.decode()
    assert "淄博测试化工有限公司1" in page  # prefilled
    client.post(url, {"kind": "period", "objector_name": "淄博测试化工有限公司1", "objector_contact": "13800000001",
                      "grounds": "公示期限计算有误"})
    assert Objection.objects.get().grounds.startswith("【公示期限不符合规定】")


def test_commitment_template_is_rulebook_data_with_known_placeholders():
    data = load_yaml("repair/procedure.yaml")
    text = rulebook().regimes["samr_order_107"].commitment(subject_name="甲公司", uscc="X", decision_no="N1")
    assert "守信承诺书" == rulebook().regimes["samr_order_107"].commitment_title and "甲公司" in text
    data["regimes"]["ndrc_order_36"] = {**data["regimes"]["ndrc_order_36"], "commitment_template": "{unknown}"}
    with pytest.raises(RepairRulebookError):
        parse_rulebook(data)


def test_order36_art20_reorganisation_shielding_on_the_public_site(client, enterprise, records, eco, system_actor,
                                                                   evidence_dir):
    """The enterprise applies with the court's ruling (number and scan) for an item whose minimum period still runs,
    follows the shielding and files the completion ruling; the public subject page loses and keeps the item."""
    recent = records["recent"]
    listing = client.get(reverse("repair_public:items")).content.decode()
    url = reverse("repair_public:reorganisation", args=[recent.pk])
    assert url in listing
    page = client.get(url).content.decode()
    assert "国家发展改革委令第36号第二十条" in page and "10个工作日" in page and "不受最短公示期限制" in page
    missing = client.post(url, {"applicant_role": "administrator", "court_ruling_no": "", "contact_name": "张律师",
                                "contact_phone": "13800000001", "plan_description": "重整计划执行中"})
    assert missing.status_code == 400 and "裁定书文号" in missing.content.decode()
    assert "重整计划执行中" in missing.content.decode() and not RepairApplication.objects.exists()
    done = client.post(url, {"applicant_role": "administrator", "court_ruling_no": "（2026）鲁03破12号之一",
                             "contact_name": "张律师", "contact_phone": "13800000001",
                             "plan_description": "重整计划执行中", "files": [SimpleUploadedFile("裁定书.pdf", PDF)]})
    assert done.status_code == 302
    app = RepairApplication.objects.get()
    assert (app.kind, app.applicant_role, app.accept_due) == ("reorganisation", "administrator", D(2026, 12, 4))
    assert list(Evidence.objects.filter(application=app).values_list("original_name", flat=True)) == ["裁定书.pdf"]
    services.reorganisation_shield(application=app, department=eco, actor=system_actor)
    listing = client.get(reverse("repair_public:items")).content.decode()
    assert "临时屏蔽中" in listing and "2026年11月20日起屏蔽中" in listing and "提交执行完毕裁定书" in listing
    assert "破产重整临时屏蔽中" in listing and "已信用修复" not in listing
    assert f'data-record="{recent.pk}"' not in client.get(f"/public/subjects/{recent.subject_id}/").content.decode()
    client.post(reverse("repair_public:reorganisation_completion", args=[app.pk]),
                {"ruling_no": "（2026）鲁03破12号之二", "files": [SimpleUploadedFile("执行完毕裁定书.pdf", PDF)]})
    app.refresh_from_db()
    assert app.state == "shielded" and app.outcome_ruling_no == "（2026）鲁03破12号之二"
    assert Evidence.objects.filter(application=app).count() == 2
    assert client.get(reverse("repair_public:reorganisation", args=[records["other"].pk])).status_code == 404
