"""The published catalogue (issue 3): GET /api/v1/catalog, /api/v1/catalog/{class_code} and the XLSX template."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pubcredit.catalog import registry
from pubcredit.catalog.headers import find_header_row, map_headers

pytestmark = pytest.mark.django_db


def test_catalog_lists_the_classes(client):
    response = client.get("/api/v1/catalog")
    assert response.status_code == 200
    body = response.json()
    assert {"admin_license", "admin_penalty"} <= {c["code"] for c in body}
    penalty = next(c for c in body if c["code"] == "admin_penalty")
    assert penalty == {"code": "admin_penalty", "name_zh": "行政处罚", "name_en": "administrative penalty",
                       "nature": "negative", "subject_types": ["legal_person", "individual_business", "natural_person"],
                       "deadline_working_days": 7, "version": "2026.1", "effective_from": "2016-01-01"}


def test_catalog_is_public(client):
    assert client.get("/api/v1/catalog/admin_penalty").status_code == 200  # no token, no session


def test_class_detail_has_fields_rules_enumerations_and_every_alias(client):
    response = client.get("/api/v1/catalog/admin_penalty")
    assert response.status_code == 200
    body = response.json()
    assert body["business_key"] == ["decision_no", "subject_uscc", "id_number"]
    assert body["rule_version"] == "admin_penalty@2026.1"
    assert body["rulebook_version"] == registry.rulebook_version()
    fields = {f["key"]: f for f in body["fields"]}
    assert list(fields) == [f.key for f in registry.get_class("admin_penalty").fields]
    decision_no = fields["decision_no"]
    assert decision_no["label_zh"] == "行政处罚决定书文号" and decision_no["required"] is True
    assert decision_no["max_length"] == 128 and decision_no["type"] == "string"
    assert {"CF_WSH", "决定文书号", "处罚决定书文号"} <= set(decision_no["aliases"])
    assert decision_no["accepted_headers"][:3] == ["decision_no", "行政处罚决定书文号", "CF_WSH"]
    uscc = fields["subject_uscc"]
    assert uscc["required"] is False
    assert uscc["required_when"] == {"field": "subject_category", "in": ["legal_person"], "or_blank": False}
    assert fields["id_number"]["sensitive"] is True
    assert fields["fine_amount"]["unit"] == "万元"
    types = fields["penalty_types"]
    assert types["type"] == "multi_enum" and len(types["values"]) == 14
    assert {"code": "warning", "label_zh": "警告", "aliases": []} in types["values"]
    assert {r["kind"] for r in body["rules"]} == {"one_of_required", "date_order"}


def test_license_detail(client):
    body = client.get("/api/v1/catalog/admin_license").json()
    fields = {f["key"]: f for f in body["fields"]}
    assert [v["code"] for v in fields["status"]["values"]] == ["valid", "invalid"]
    assert "XK_YXQZI" in fields["valid_to"]["aliases"]


def test_unknown_class_is_404_with_a_stable_code(client):
    response = client.get("/api/v1/catalog/admin_nonsense")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "catalog.unknown_class"
    assert "admin_penalty" in body["message"]
    assert client.get("/api/v1/catalog/admin_nonsense/template.xlsx").json()["code"] == "catalog.unknown_class"


def test_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/catalog", "/api/v1/catalog/{class_code}", "/api/v1/catalog/{class_code}/template.xlsx"} <= set(paths)


@pytest.mark.parametrize("code", ["admin_penalty", "admin_license"])
def test_template_has_the_standard_headers_and_a_guide(client, code):
    response = client.get(f"/api/v1/catalog/{code}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert f"{code}_template.xlsx" in response["Content-Disposition"]
    info_class = registry.get_class(code)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [info_class.name_zh, "填写说明", "可选值"]
    rows = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows(max_row=1)]
    assert rows[0] == [f.label_zh for f in info_class.fields]
    # The template's own headers map back onto every field.
    assert find_header_row(rows, info_class) == 0
    mapping = map_headers(info_class, rows[0])
    assert mapping.ok and not mapping.unknown and len(mapping.columns) == len(info_class.fields)
    guide = {row[1]: row for row in workbook["填写说明"].iter_rows(min_row=2, values_only=True) if row[1]}
    assert guide["decision_no"][3] == "是"
    assert guide["subject_uscc"][3].startswith("条件必填")
    assert "法人及非法人组织（legal_person）" in guide["subject_category"][6]
    # Identifier columns are text so that Excel keeps all 18 characters.
    column = [f.key for f in info_class.fields].index("id_number") + 1
    assert workbook.worksheets[0].cell(2, column).number_format == "@"
