"""XLSX import of the item list and the inspector library: all or nothing, every faulty row named."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pubcredit.rules.errors import DomainError
from pubcredit.supervision import services
from pubcredit.supervision.models import InspectionItem, Inspector

pytestmark = pytest.mark.django_db


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ITEM_HEAD = ["事项编码", "抽查事项", "检查领域", "事项类别", "特殊领域", "检查依据"]


def test_items_are_imported_with_chinese_kinds(department, system_actor):
    data = xlsx([ITEM_HEAD, ["SC-11", "食品销售者检查", "食品", "一般检查事项", "否", "《食品安全法》"],
                 ["TZ-11", "电梯使用单位检查", "特种设备", "重点检查事项", "是", "《特种设备安全法》"]])
    assert services.library_import(department=department, kind="items", data=data, actor=system_actor) == 2
    lift = InspectionItem.objects.get(code="TZ-11")
    assert lift.kind == "key" and lift.special_domain


def test_a_faulty_row_stops_the_whole_file_and_is_named(department, system_actor):
    data = xlsx([ITEM_HEAD, ["SC-11", "食品销售者检查", "食品", "一般检查事项", "否", "《食品安全法》"],
                 ["SC-12", "", "食品", "随便", "否", "《食品安全法》"]])
    with pytest.raises(DomainError) as caught:
        services.library_import(department=department, kind="items", data=data, actor=system_actor)
    assert caught.value.problems[0].message_zh.startswith("第3行") and caught.value.field == "rows.3.name"
    assert not InspectionItem.objects.exists()


def test_missing_columns_and_a_file_that_is_not_a_workbook(department, system_actor):
    with pytest.raises(DomainError) as caught:
        services.library_import(department=department, kind="inspectors", data=xlsx([["姓名"]]), actor=system_actor)
    assert "执法证号" in caught.value.message_zh
    with pytest.raises(DomainError) as caught:
        services.library_import(department=department, kind="inspectors", data=b"not a workbook", actor=system_actor)
    assert caught.value.code == "supervision.not_xlsx"


def test_inspectors_upload_through_the_page(client, provider):
    client.force_login(provider)
    data = xlsx([["执法证号", "姓名", "执法资格"], ["ZB9001", "王检查", "食品、特种设备"]])
    response = client.post(reverse("supervision:inspectors"),
                           {"form": "import", "file": SimpleUploadedFile("人员.xlsx", data)}, follow=True)
    assert "已导入1条" in response.content.decode()
    assert Inspector.objects.get(staff_no="ZB9001").qualifications == ["特种设备", "食品"]


def test_the_downloaded_template_filled_in_imports_as_is(client, provider):
    client.force_login(provider)
    page = client.get(reverse("supervision:items")).content.decode()
    assert reverse("supervision:import_template", args=["items"]) in page and "下载导入模板" in page
    response = client.get(reverse("supervision:import_template", args=["items"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == list(services.IMPORT_COLUMNS["items"])
    assert "特种设备" in str([[c.value for c in row] for row in book["填写说明"].iter_rows()])
    book.worksheets[0].append(["SC-09", "食品生产企业检查", "食品", "重点", "否", "《中华人民共和国食品安全法》"])
    filled = io.BytesIO()
    book.save(filled)
    response = client.post(reverse("supervision:items"), {"form": "import", "file": SimpleUploadedFile(
        "事项.xlsx", filled.getvalue())}, follow=True)
    assert "已导入1条" in response.content.decode()
    assert InspectionItem.objects.get(code="SC-09").kind == "key"
    assert client.get(reverse("supervision:import_template", args=["other"])).status_code == 404
