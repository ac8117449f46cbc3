"""Catalogue endpoints (信息资源目录), public: what integrators need to submit data.

- ``GET /api/v1/catalog``: the information classes in force;
- ``GET /api/v1/catalog/{class_code}``: a class with its fields, required rules, enumerations, limits and every
  accepted header alias;
- ``GET /api/v1/catalog/{class_code}/template.xlsx``: the XLSX template with the standard Chinese headers.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.http import HttpResponse, JsonResponse
from ninja import Router, Schema

from pubcredit.api_common import ErrorOut
from pubcredit.catalog import registry
from pubcredit.catalog.schema import Condition, InfoClass
from pubcredit.catalog.xlsx import build_template
from pubcredit.rules.errors import DomainError

router = Router(tags=["catalog"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ClassSummaryOut(Schema):
    code: str
    name_zh: str
    name_en: str | None
    nature: str
    subject_types: list[str]
    deadline_working_days: int | None
    version: str
    effective_from: dt.date


class EnumValueOut(Schema):
    code: str
    label_zh: str
    aliases: list[str]


class FieldOut(Schema):
    key: str
    label_zh: str
    type: str
    required: bool
    required_when: dict | None
    max_length: int | None
    unit: str | None
    sensitive: bool
    format: str | None
    values: list[EnumValueOut]
    separators: str | None
    aliases: list[str]
    accepted_headers: list[str]


class RuleOut(Schema):
    kind: str
    fields: list[str]
    when: dict | None
    message_zh: str | None
    level: str = "error"  # "warning": the row is accepted and told what the order means


class ClassDetailOut(ClassSummaryOut):
    description_zh: str | None
    legal_basis: list[str]
    sharing: str
    public: bool
    public_for_natural_persons: bool
    business_key: list[str]
    rule_version: str
    rulebook_version: str
    fields: list[FieldOut]
    rules: list[RuleOut]


def _not_found(exc: DomainError) -> JsonResponse:
    """``catalog.unknown_class`` as a 404 (the API-wide handler maps other domain errors to 400)."""
    return JsonResponse(exc.as_dict(), status=404)


@lru_cache(maxsize=32)
def _template(code: str, version_key: str) -> bytes:
    """Template bytes, built once per class version and catalogue files (building takes ~0.5 s)."""
    return build_template(registry.get_class(code))


def _condition(cond: Condition | None) -> dict | None:
    if cond is None:
        return None
    return {"field": cond.field, "in": list(cond.in_), "or_blank": cond.or_blank}


def _summary(c: InfoClass) -> dict:
    return {"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en, "nature": c.nature,
            "subject_types": list(c.subject_types), "deadline_working_days": c.deadline_working_days,
            "version": c.version, "effective_from": c.effective_from}


def _detail(c: InfoClass) -> dict:
    fields = [{
        "key": f.key, "label_zh": f.label_zh, "type": f.type, "required": f.required,
        "required_when": _condition(f.required_when), "max_length": f.max_length, "unit": f.unit,
        "sensitive": f.sensitive, "format": f.format,
        "values": [{"code": v.code, "label_zh": v.label_zh, "aliases": list(v.aliases)} for v in f.values],
        "separators": f.separators if f.type == "multi_enum" else None,
        "aliases": list(f.aliases), "accepted_headers": list(f.accepted_headers()),
    } for f in c.fields]
    rules = [{"kind": r.kind, "fields": list(r.fields), "when": _condition(r.when), "message_zh": r.message_zh,
              "level": r.level}
             for r in c.rules]
    return {**_summary(c), "description_zh": c.description_zh, "legal_basis": list(c.legal_basis),
            "sharing": c.sharing, "public": c.public, "public_for_natural_persons": c.public_for_natural_persons,
            "business_key": list(c.business_key), "rule_version": c.rule_version,
            "rulebook_version": registry.rulebook_version(), "fields": fields, "rules": rules}


@router.get("", response=list[ClassSummaryOut], summary="信息类列表 (information classes)")
def catalog_list(request):
    """The information classes in force today: code, name, nature (negative/positive/neutral), subject types,
    the publication deadline in working days (双公示: 7) and the catalogue version."""
    return [_summary(c) for c in registry.all_classes()]


@router.get("/{class_code}", response={200: ClassDetailOut, 404: ErrorOut}, summary="信息类详情 (one class)")
def catalog_detail(request, class_code: str):
    """One class: every field with its type, required rule (``required`` or ``required_when``), enumeration values
    (code, label and aliases; any of them is accepted and stored as the code), length limit, unit, whether it is
    sensitive, and every header accepted for it (English key, standard Chinese label, pinyin codes, variants);
    the business key; cross-field rules. Unknown class → 404 ``catalog.unknown_class``."""
    try:
        info_class = registry.get_class(class_code)
    except DomainError as exc:
        return _not_found(exc)
    return _detail(info_class)


@router.get("/{class_code}/template.xlsx", summary="报送模板 (XLSX template)",
            openapi_extra={"responses": {200: {"description": "XLSX file",
                                               "content": {XLSX_TYPE: {"schema": {"type": "string",
                                                                                  "format": "binary"}}}},
                                         404: {"description": "unknown class (catalog.unknown_class)"}}})
def catalog_template(request, class_code: str):
    """The XLSX template of a class: a header row with the standard Chinese labels (required headers shaded),
    a sheet explaining each field (type, required, allowed values, accepted headers) and a sheet of allowed values."""
    try:
        info_class = registry.get_class(class_code)
    except DomainError as exc:
        return _not_found(exc)
    response = HttpResponse(_template(info_class.code, f"{info_class.rule_version}|{registry.rulebook_version()}"), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{info_class.code}_template.xlsx"'
    return response
