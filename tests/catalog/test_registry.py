"""The catalogue loader refuses what it cannot use (unknown keys, duplicates, dangling references) and the
registry serves the classes other apps depend on, with the field keys they use."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from pubcredit.catalog import registry
from pubcredit.catalog.registry import CATALOG_DIR, load_catalog
from pubcredit.rulebook.loader import RulebookError
from pubcredit.rules.errors import DomainError

SUBJECT_KEYS = {
    "subject_name", "subject_category", "subject_uscc", "registration_no", "org_code", "tax_reg_no",
    "institution_cert_no", "social_org_cert_no", "legal_rep", "legal_rep_id_type", "legal_rep_id_number",
    "id_type", "id_number",
}
PENALTY_KEYS = SUBJECT_KEYS | {
    "decision_no", "violation_type", "violation_facts", "penalty_basis", "penalty_types", "penalty_content",
    "fine_amount", "confiscation_amount", "suspended_license", "decision_date", "valid_until", "publicity_until",
    "authority_name", "authority_uscc", "source_name", "source_uscc", "remarks",
}
LICENSE_KEYS = SUBJECT_KEYS | {
    "license_doc_name", "decision_no", "license_category", "certificate_name", "license_no", "license_content",
    "decision_date", "valid_from", "valid_to", "authority_name", "authority_uscc", "status", "source_name",
    "source_uscc", "remarks",
}


def minimal_class(**overrides) -> dict:
    data = {
        "code": "demo", "name_zh": "示例", "nature": "neutral", "subject_types": ["legal_person"],
        "business_key": ["doc_no"], "version": "1", "effective_from": dt.date(2020, 1, 1),
        "fields": [
            {"key": "doc_no", "label_zh": "文书号", "aliases": ["WSH"], "type": "string", "required": True},
            {"key": "kind", "label_zh": "类别", "type": "enum", "values": [{"code": "a", "label_zh": "甲"}]},
        ],
    }
    data.update(overrides)
    return data


def write(tmp_path, name: str, data: dict):
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_shipped_catalogue_loads_with_the_agreed_field_keys():
    catalogue = load_catalog()
    assert {"admin_license", "admin_penalty"} <= set(catalogue.codes())
    penalty = registry.get_class("admin_penalty", on=dt.date(2026, 11, 20))
    license_class = registry.get_class("admin_license", on=dt.date(2026, 11, 20))
    assert {f.key for f in penalty.fields} == PENALTY_KEYS
    assert {f.key for f in license_class.fields} == LICENSE_KEYS
    for info_class in (penalty, license_class):
        assert info_class.business_key == ("decision_no", "subject_uscc", "id_number")
        assert info_class.deadline_working_days == 7  # 双公示: 7 working days (rules.md §3.1)
        assert info_class.field("id_number").sensitive and info_class.field("legal_rep_id_number").sensitive
    assert penalty.nature == "negative" and not penalty.public_for_natural_persons
    assert [v.code for v in penalty.field("penalty_types").values] == [
        "warning", "public_criticism", "fine", "confiscate_illegal_gains", "confiscate_illegal_property",
        "suspend_license", "lower_qualification", "revoke_license", "restrict_business", "order_suspension",
        "order_closure", "restrict_employment", "administrative_detention", "other"]  # rules.md §3.4
    assert [v.code for v in license_class.field("license_category").values] == [
        "general", "franchise", "recognition", "approval", "registration", "other"]
    assert penalty.field("fine_amount").unit == "万元"
    assert "CF_WSH" in penalty.field("decision_no").aliases
    assert "XK_YXQZI" in license_class.field("valid_to").aliases


def test_rulebook_version_names_every_class_version_and_hashes_the_files():
    version = registry.rulebook_version()
    names, digest = version.removeprefix("catalog:").split("#")
    assert {"admin_license@2026.1", "admin_penalty@2026.1"} <= set(names.split(","))
    assert len(digest) == 12


def test_unknown_class_is_a_domain_error_listing_the_known_codes():
    with pytest.raises(DomainError) as err:
        registry.get_class("admin_nonsense")
    assert err.value.code == "catalog.unknown_class"
    assert "admin_penalty" in err.value.message_zh and "admin_license" in err.value.message_zh


def test_all_classes_is_ordered_by_code():
    codes = [c.code for c in registry.all_classes(on=dt.date(2026, 11, 20))]
    assert codes == sorted(codes) and {"admin_license", "admin_penalty"} <= set(codes)


def test_a_copy_of_the_shipped_files_loads_from_another_directory(tmp_path):
    for path in CATALOG_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    assert load_catalog(tmp_path).version == registry.rulebook_version()


def test_unknown_key_is_refused_naming_the_file_and_the_key(tmp_path):
    data = minimal_class()
    data["fields"][0]["lable_zh"] = "拼错的键"
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(RulebookError) as err:
        load_catalog(tmp_path)
    assert "demo.yaml" in str(err.value)
    assert "fields[0] (doc_no).lable_zh: unknown key" in str(err.value)


def test_unknown_top_level_key_is_refused(tmp_path):
    write(tmp_path, "demo.yaml", minimal_class(deadline_days=7))
    with pytest.raises(RulebookError, match=r"demo.yaml: deadline_days: unknown key"):
        load_catalog(tmp_path)


def test_duplicate_alias_within_a_class_is_refused(tmp_path):
    data = minimal_class()
    data["fields"][1]["aliases"] = ["wsh"]  # the same header as doc_no's alias WSH, once case is ignored
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(RulebookError, match=r"alias 'wsh' is given for both doc_no and kind"):
        load_catalog(tmp_path)


def test_alias_repeated_within_one_field_is_refused(tmp_path):
    data = minimal_class()
    data["fields"][0]["aliases"] = ["决定书文号", "决定书文号"]
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(RulebookError, match="duplicate alias"):
        load_catalog(tmp_path)


def test_duplicate_field_key_is_refused(tmp_path):
    data = minimal_class()
    data["fields"].append({"key": "doc_no", "label_zh": "文书号二", "type": "string"})
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(RulebookError, match="duplicate field key doc_no"):
        load_catalog(tmp_path)


def test_duplicate_enumeration_alias_is_refused(tmp_path):
    data = minimal_class()
    data["fields"][1]["values"] = [{"code": "a", "label_zh": "甲", "aliases": ["x"]},
                                   {"code": "b", "label_zh": "乙", "aliases": ["X"]}]
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(RulebookError, match="given for both a and b"):
        load_catalog(tmp_path)


@pytest.mark.parametrize("change, message", [
    ({"business_key": ["nope"]}, "business_key: unknown field nope"),
    ({"fields": [{"key": "doc_no", "label_zh": "文书号", "type": "string",
                  "required_when": {"field": "kind", "in": ["a"]}}]}, "condition on unknown field kind"),
    ({"fields": [{"key": "doc_no", "label_zh": "文书号", "type": "enum"}]}, "type enum needs values"),
    ({"fields": [{"key": "doc_no", "label_zh": "文书号", "type": "string", "unit": "万元"}]}, "only allowed for decimal"),
    ({"fields": [{"key": "doc_no", "label_zh": "文书号", "type": "blob"}]}, "fields[0] (doc_no).type"),
])
def test_inconsistent_definitions_are_refused(tmp_path, change, message):
    write(tmp_path, "demo.yaml", minimal_class(**change))
    with pytest.raises(RulebookError) as err:
        load_catalog(tmp_path)
    assert message in str(err.value)


def test_versions_are_chosen_by_effective_date(tmp_path):
    write(tmp_path, "demo_2020.yaml", minimal_class())
    write(tmp_path, "demo_2026.yaml", minimal_class(version="2", effective_from=dt.date(2026, 4, 1)))
    catalogue = load_catalog(tmp_path)
    assert catalogue.get("demo", dt.date(2026, 3, 31)).version == "1"
    assert catalogue.get("demo", dt.date(2026, 4, 1)).version == "2"
    with pytest.raises(DomainError, match="not_in_force"):
        catalogue.get("demo", dt.date(2019, 12, 31))


def test_two_files_for_the_same_class_and_date_are_refused(tmp_path):
    write(tmp_path, "a.yaml", minimal_class())
    write(tmp_path, "b.yaml", minimal_class(version="again"))
    with pytest.raises(RulebookError, match="also defined in a.yaml"):
        load_catalog(tmp_path)


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(RulebookError, match="no catalogue files"):
        load_catalog(tmp_path)
