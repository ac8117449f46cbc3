"""The validation plan: every cell-value case of issue 3's "Bad input" list, plus the rules of the 双公示 classes
(rules.md §3.2–3.4) and the identifier rules (rules.md §10)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pubcredit.catalog import expressions as ex
from pubcredit.catalog.plan import records_to_frame, validate_frame, validate_records
from tests.catalog.factories import (AUTHORITY_USCC, RESIDENT_ID, SUBJECT_USCC, TODAY, license_row, make_uscc, penalty_row,
                                     with_check)


def run(info_class, *rows, **kwargs):
    kwargs.setdefault("today", TODAY)
    keys = dict.fromkeys(k for row in rows for k in row)
    frame = pl.DataFrame([{k: row.get(k) for k in keys} for row in rows], schema={k: pl.String for k in keys})
    return validate_frame(info_class, frame, **kwargs)


def one(info_class, **overrides):
    """Validate a single penalty (or licence) row with overrides; returns (row dict, errors, warnings)."""
    factory = penalty_row if info_class.code == "admin_penalty" else license_row
    result = run(info_class, factory(**overrides))
    return result.rows.row(0, named=True), result.errors.get(1, []), result.warnings.get(1, [])


def codes(problems):
    return [(p.field, p.code) for p in problems]


# --- a good row ------------------------------------------------------------------------------------------------


def test_a_complete_row_is_accepted_and_normalised(penalty):
    result = run(penalty, penalty_row())
    assert result.errors == {} and result.accepted == 1 and result.rejected == 0
    row = result.rows.row(0, named=True)
    assert row["_row"] == 1 and row["_ok"] is True
    assert row["subject_category"] == "legal_person"
    assert row["penalty_types"] == ["warning", "fine"]
    assert row["fine_amount"] == 0.5
    assert row["decision_date"] == dt.date(2026, 3, 1)
    assert result.rows.schema["decision_date"] == pl.Date
    assert result.rows.schema["fine_amount"] == pl.Float64
    assert result.rows.schema["penalty_types"] == pl.List(pl.String)
    assert result.rule_version == "admin_penalty@2026.1"


def test_ok_rows_are_plain_json_ready_dicts(penalty):
    result = run(penalty, penalty_row(), penalty_row(decision_no="x", decision_date="2099-01-01"))
    rows = result.ok_rows()
    assert len(rows) == 1
    assert rows[0]["_row"] == 1
    assert rows[0]["decision_date"] == "2026-03-01"
    assert rows[0]["penalty_types"] == ["warning", "fine"]
    assert rows[0]["remarks"] is None  # every field key is present
    assert "_row" not in result.ok_rows(include_row=False)[0]
    payload = result.ok_json()
    assert payload.columns == ["_row", "payload"]
    assert '"decision_date":"2026-03-01"' in payload["payload"][0]


def test_rows_are_numbered_as_the_provider_sees_them(penalty):
    result = run(penalty, penalty_row(decision_no="a"), penalty_row(decision_no="b", subject_name=None),
                 first_row_number=1001)
    assert result.rows["_row"].to_list() == [1001, 1002]
    assert list(result.errors) == [1002]
    assert result.rejected_summary() == [{"row": 1002, "errors": [
        {"field": "subject_name", "code": "required", "message": "行政相对人名称不能为空"}]}]


# --- cells: spaces, width, placeholders, formulas ----------------------------------------------------------------


def test_full_width_digits_and_letters_in_codes_and_dates_are_normalised(penalty):
    row, errors, _ = one(penalty, subject_uscc="９１３７０３０３ＭＡ３Ｃ００００３Ｄ", decision_date="２０２６－０３－０１",
                         fine_amount="１，０００．５０")
    assert errors == []
    assert row["subject_uscc"] == SUBJECT_USCC
    assert row["decision_date"] == dt.date(2026, 3, 1)
    assert row["fine_amount"] == 1000.5


def test_leading_and_trailing_spaces_are_removed(penalty):
    row, errors, _ = one(penalty, subject_name="  淄博某某化工有限公司\u3000", decision_no=" 淄市监罚〔2026〕101号 ",
                         decision_date=" 2026-03-01 ", subject_category=" 法人及非法人组织 ")
    assert errors == []
    assert row["subject_name"] == "淄博某某化工有限公司"
    assert row["decision_no"] == "淄市监罚〔2026〕101号"


@pytest.mark.parametrize("placeholder", ["无", "/", "-", "—", "——", "N/A", "n/a", "空", "null", "NULL", "暂无", " 无 ", "／"])
def test_placeholders_in_optional_cells_are_empty(penalty, placeholder):
    row, errors, _ = one(penalty, remarks=placeholder, fine_amount=placeholder, publicity_until=placeholder,
                         registration_no=placeholder, suspended_license=placeholder)
    assert errors == []
    assert row["remarks"] is None and row["fine_amount"] is None and row["publicity_until"] is None
    assert row["registration_no"] is None and row["suspended_license"] is None


def test_placeholder_in_a_required_cell_is_a_missing_value(penalty):
    _, errors, _ = one(penalty, violation_facts="无")
    assert codes(errors) == [("violation_facts", "required")]


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000"])
def test_required_cell_blank(penalty, blank):
    _, errors, _ = one(penalty, decision_no=blank)
    assert codes(errors) == [("decision_no", "required")]
    assert errors[0].message_zh == "行政处罚决定书文号不能为空"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"点击\")", "+8613800000000", "-罚款", "@SUM(A1)"])
def test_formula_like_cells_are_kept_as_text(penalty, cell):
    row, errors, _ = one(penalty, penalty_content=cell, remarks=cell, violation_type=cell)
    assert errors == []
    assert row["penalty_content"] == cell and row["remarks"] == cell and row["violation_type"] == cell


def test_formula_like_cell_in_a_typed_field_is_rejected_not_evaluated(penalty):
    _, errors, _ = one(penalty, fine_amount="=1+1")
    assert codes(errors) == [("fine_amount", "decimal.format")]


def test_field_longer_than_its_limit(penalty):
    _, errors, _ = one(penalty, subject_name="某" * 201, decision_no="号" * 129)
    assert codes(errors) == [("subject_name", "max_length"), ("decision_no", "max_length")]
    assert errors[0].message_zh == "行政相对人名称最多200个字符，实际201个字符"
    _, errors, _ = one(penalty, subject_name="某" * 200)
    assert errors == []


def test_code_like_fields_drop_dashes_and_spaces(penalty):
    row, errors, _ = one(penalty, org_code="MA3C0000-3", tax_reg_no=" 370303 MA3C00003 ")
    assert errors == []
    assert row["org_code"] == "MA3C00003" and row["tax_reg_no"] == "370303MA3C00003"


# --- dates -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["2026-03-01", "2026/3/1", "2026/03/01", "2026.3.1", "2026年3月1日", "2026年03月01日",
                                  "20260301", "46082", "46082.0", "46082.75", "2026-03-01 00:00:00",
                                  "2026/3/1 14:30", "2026-03-01T08:00:00", "2026-03-01 00:00:00.000000"])
def test_accepted_date_formats(penalty, cell):
    row, errors, _ = one(penalty, decision_date=cell)
    assert errors == []
    assert row["decision_date"] == dt.date(2026, 3, 1)


@pytest.mark.parametrize("cell", ["2026-02-30", "2026-13-01", "2026", "三月一日", "2026-3", "0", "99999", "1/3/2026"])
def test_dates_that_are_not_dates(penalty, cell):
    _, errors, _ = one(penalty, decision_date=cell)
    assert codes(errors) == [("decision_date", "date.format")]
    assert "2026年3月1日" in errors[0].message_zh  # the message shows the accepted formats


def test_decision_date_in_the_future_is_rejected(penalty):
    _, errors, _ = one(penalty, decision_date="2026-11-21", valid_until="2027-11-21")
    assert codes(errors) == [("decision_date", "date.future")]
    _, errors, _ = one(penalty, decision_date="2026-11-20")  # today is fine
    assert errors == []


def test_decision_date_before_1949_is_rejected(penalty):
    _, errors, _ = one(penalty, decision_date="1949-09-30")
    assert codes(errors) == [("decision_date", "date.before_1949")]
    _, errors, _ = one(penalty, decision_date="1949-10-01")
    assert errors == []


def test_validity_may_run_into_the_future_and_long_term_is_2099(license_class):
    row, errors, _ = one(license_class, valid_to="长期")
    assert errors == []
    assert row["valid_to"] == dt.date(2099, 12, 31)
    row, errors, _ = one(license_class, valid_to="2099/12/31")
    assert errors == [] and row["valid_to"] == dt.date(2099, 12, 31)


def test_validity_ending_before_it_starts_is_rejected(license_class):
    _, errors, _ = one(license_class, valid_from="2026-03-01", valid_to="2026-02-28")
    assert codes(errors) == [("valid_to", "date.order")]


def test_a_bad_date_is_not_also_reported_as_out_of_order(penalty):
    _, errors, _ = one(penalty, decision_date="2030-01-01", valid_until="2027-01-01")
    assert codes(errors) == [("decision_date", "date.future")]


# --- amounts ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    ("1000.50", 1000.5), ("1,000.50", 1000.5), ("1,000.50万元", 1000.5), ("1,000.50 万元", 1000.5),
    ("5000元", 0.5), ("5,000元", 0.5), ("￥5000元", 0.5), ("人民币5000元", 0.5), ("0.5万", 0.5), ("１２３．５", 123.5),
    ("0", 0.0), ("1.5E+3", 1500.0), ("1亿元", 10000.0),
])
def test_amounts(penalty, cell, expected):
    row, errors, _ = one(penalty, fine_amount=cell)
    assert errors == []
    assert row["fine_amount"] == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["abc", "1,00", "10,00.5", "5000美元", "1.2.3", "五千元", "1e999"])
def test_amounts_that_are_not_amounts(penalty, cell):
    _, errors, _ = one(penalty, fine_amount=cell)
    assert codes(errors) == [("fine_amount", "decimal.format")]
    assert "万元" in errors[0].message_zh


def test_negative_amount_is_rejected(penalty):
    _, errors, _ = one(penalty, fine_amount="-5")
    assert codes(errors) == [("fine_amount", "decimal.range")]


def test_implausibly_large_amount_is_accepted_with_a_warning(penalty):
    row, errors, warnings = one(penalty, fine_amount="50000")  # 5亿元: most likely 元 typed as 万元
    assert errors == [] and row["fine_amount"] == 50000.0
    assert codes(warnings) == [("fine_amount", "decimal.large")]


# --- enumerations ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["法人及非法人组织", "legal_person", "LEGAL_PERSON", " legal_person ", "法人", "法人及其他组织"])
def test_enum_by_label_code_or_alias(penalty, cell):
    row, errors, _ = one(penalty, subject_category=cell)
    assert errors == []
    assert row["subject_category"] == "legal_person"


def test_enum_value_not_allowed_lists_the_allowed_values(penalty):
    _, errors, _ = one(penalty, subject_category="外星人")
    assert codes(errors) == [("subject_category", "enum")]
    assert "外星人" in errors[0].message_zh
    assert "允许的值：法人及非法人组织、自然人、个体工商户" in errors[0].message_zh


def test_license_status_accepts_numeric_codes(license_class):
    assert one(license_class, status="1")[0]["status"] == "valid"
    assert one(license_class, status="无效")[0]["status"] == "invalid"
    assert one(license_class, license_category="特许")[0]["license_category"] == "franchise"


@pytest.mark.parametrize("cell, expected", [
    ("警告", ["warning"]), ("警告；罚款", ["warning", "fine"]), ("警告;罚款", ["warning", "fine"]),
    ("警告、罚款，没收违法所得", ["warning", "fine", "confiscate_illegal_gains"]),
    ("warning,fine", ["warning", "fine"]), ("罚款；罚款；警告", ["fine", "warning"]), ("警告；", ["warning"]),
    ("没收违法所得、没收非法财物", ["confiscate_illegal_gains", "confiscate_illegal_property"]),
    ("法律、行政法规规定的其他行政处罚", ["other"]), ("吊销营业执照", ["revoke_license"]),
    # values that themselves contain a separator, beside others in the same cell
    ("警告、法律、行政法规规定的其他行政处罚", ["warning", "other"]),
    ("法律、行政法规规定的其他行政处罚；罚款", ["other", "fine"]),
])
def test_multi_enum(penalty, cell, expected):
    row, errors, _ = one(penalty, penalty_types=cell)
    assert errors == []
    assert row["penalty_types"] == expected


def test_multi_enum_recognises_several_values_that_contain_separators():
    """Court files list several grounds (失信情形) in one cell, and the grounds' names contain 、 themselves."""
    from pubcredit.catalog.registry import get_class

    court = get_class("court_dishonest_debtor")
    field = court.field("dishonest_conduct")
    frame = pl.DataFrame({"dishonest_conduct": ["以伪造证据、暴力、威胁等方法妨碍、抗拒执行；以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
                                                "妨碍、抗拒执行、规避执行"]})
    value, bad = ex.multi_enum_codes(pl.col("dishonest_conduct"), field)
    out = frame.select(value.alias("codes"), bad.alias("bad"))
    assert out["codes"].to_list() == [["obstruct_execution", "evade_execution"], ["obstruct_execution", "evade_execution"]]
    assert out["bad"].to_list() == [False, False]
    assert ex.split_multi("妨碍、抗拒执行、打板子", field) == ["妨碍、抗拒执行", "打板子"]


def test_multi_enum_with_a_value_not_allowed(penalty):
    _, errors, _ = one(penalty, penalty_types="警告；打板子")
    assert codes(errors) == [("penalty_types", "enum")]
    assert "“打板子”" in errors[0].message_zh and "警告、通报批评、罚款" in errors[0].message_zh


# --- identifiers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["91370303ma3c00003d", "9137 0303 MA3C 0000 3D", " 91370303MA3C00003D ",
                                  "91370303-MA3C0000-3D"])
def test_uscc_lowercase_or_spaces_normalised_when_that_makes_it_valid(penalty, cell):
    row, errors, _ = one(penalty, subject_uscc=cell)
    assert errors == []
    assert row["subject_uscc"] == SUBJECT_USCC


@pytest.mark.parametrize("cell, code", [
    ("91370303MA3C00003E", "uscc.checksum"), ("91370303MA3C0000", "uscc.length"),
    ("91370303MA3C00003DX", "uscc.length"), ("91370303MA3C0000ID", "uscc.format"),
])
def test_bad_uscc(penalty, cell, code):
    _, errors, _ = one(penalty, subject_uscc=cell)
    assert codes(errors) == [("subject_uscc", code)]
    assert errors[0].message_zh.startswith("统一社会信用代码")


def test_bad_uscc_message_names_the_expected_check_character(penalty):
    _, errors, _ = one(penalty, authority_uscc="11370300MB2851234C")
    assert codes(errors) == [("authority_uscc", "uscc.checksum")]
    assert errors[0].message_zh == "处罚机关统一社会信用代码：统一社会信用代码校验位错误（第18位应为B）"


def test_really_issued_code_failing_its_checksum_is_accepted_with_a_warning_when_allowlisted(penalty):
    issued = "91350100M0001TGQXM"  # early Fujian pilot code (rules.md §10.1)
    result = run(penalty, penalty_row(subject_uscc=issued), allowlist=frozenset({issued}))
    assert result.errors == {}
    assert codes(result.warnings[1]) == [("subject_uscc", "uscc.checksum_confirmed")]
    assert result.rows["subject_uscc"][0] == issued
    assert codes(run(penalty, penalty_row(subject_uscc=issued)).errors[1]) == [("subject_uscc", "uscc.checksum")]


def natural_person(**overrides):
    base = dict(subject_name="王五", subject_category="自然人", subject_uscc=None, legal_rep=None,
                id_type="身份证", id_number=RESIDENT_ID)
    base.update(overrides)
    return base


def test_natural_person_with_a_resident_id(penalty):
    row, errors, _ = one(penalty, **natural_person(id_type="居民身份证", id_number=" 370303 19900101 0017 "))
    assert errors == []
    assert row["id_type"] == "resident_id" and row["id_number"] == RESIDENT_ID


@pytest.mark.parametrize("cell, code", [("370303199002300017", "id.birth_date"), ("201511221897205960", "id.birth_date"),
                                        ("321083197812162110", "id.checksum"), ("3703031990", "id.length"),
                                        ("3301022011022000D6", "id.format")])
def test_bad_resident_id(penalty, cell, code):
    _, errors, _ = one(penalty, **natural_person(id_number=cell))
    assert codes(errors) == [("id_number", code)]


def test_impossible_birth_date_message_does_not_echo_the_whole_number(penalty):
    _, errors, _ = one(penalty, **natural_person(id_number="370303199002300017"))
    assert "370303199002300017" not in errors[0].message_zh and "19900230" in errors[0].message_zh


def test_lowercase_x_in_resident_id_is_normalised(penalty):
    row, errors, _ = one(penalty, **natural_person(id_number="33010219200403064x"))
    assert errors == [] and row["id_number"] == "33010219200403064X"


def test_legacy_15_digit_id_is_upgraded_with_a_warning(penalty):
    row, errors, warnings = one(penalty, **natural_person(id_number="150102880730303"))
    assert errors == []
    assert row["id_number"] == "150102198807303035"
    assert codes(warnings) == [("id_number", "id.legacy_upgraded")]


def test_other_identity_documents_are_not_checked_as_resident_ids(penalty):
    row, errors, _ = one(penalty, **natural_person(id_type="护照", id_number="e12345678"))
    assert errors == [] and row["id_type"] == "passport" and row["id_number"] == "E12345678"


def test_id_number_without_a_type_is_checked_as_a_resident_id(penalty):
    _, errors, _ = one(penalty, subject_category="个体工商户", subject_uscc=None, legal_rep=None,
                       id_number="370303199002300017")
    assert codes(errors) == [("id_number", "id.birth_date")]


# --- conditional requirements and cross-field rules ------------------------------------------------------------


def test_natural_person_without_id_number_is_rejected(penalty):
    _, errors, _ = one(penalty, **natural_person(id_number=None))
    assert codes(errors) == [("id_number", "required")]
    assert errors[0].message_zh == "行政相对人类别为自然人时，证件号码不能为空"


def test_natural_person_without_id_type_is_rejected(penalty):
    _, errors, _ = one(penalty, **natural_person(id_type=None))
    assert codes(errors) == [("id_type", "required")]


def test_natural_person_needs_no_uscc_nor_legal_representative(penalty):
    _, errors, _ = one(penalty, **natural_person())
    assert errors == []


def test_legal_person_without_legal_representative_or_uscc_is_rejected(penalty):
    _, errors, _ = one(penalty, legal_rep="-", subject_uscc=None)
    assert codes(errors) == [("subject_uscc", "required"), ("legal_rep", "required")]
    assert errors[1].message_zh == "行政相对人类别为法人及非法人组织时，法定代表人不能为空"


def test_individual_business_with_neither_code_is_rejected(penalty):
    _, errors, _ = one(penalty, subject_category="个体工商户", subject_uscc=None, legal_rep=None)
    assert codes(errors) == [("subject_uscc", "required_one_of")]
    assert errors[0].message_zh == "个体工商户须填写统一社会信用代码或经营者证件号码"


@pytest.mark.parametrize("codes_given", [{"subject_uscc": with_check("92370303MA3C00001")}, {"id_number": RESIDENT_ID}])
def test_individual_business_with_either_code_is_accepted(penalty, codes_given):
    _, errors, _ = one(penalty, **{"subject_category": "个体工商户", "subject_uscc": None, "legal_rep": None, **codes_given})
    assert errors == []


def test_conditionally_required_columns_may_be_absent_from_the_frame(penalty):
    row = {k: v for k, v in penalty_row().items() if k not in ("legal_rep",)}
    result = run(penalty, row)
    assert codes(result.errors[1]) == [("legal_rep", "required")]
    natural = {k: v for k, v in penalty_row(**natural_person()).items() if k not in ("legal_rep", "subject_uscc")}
    assert run(penalty, natural).errors == {}


def test_a_missing_required_column_rejects_every_row(penalty):
    row = {k: v for k, v in penalty_row().items() if k != "decision_date"}
    result = run(penalty, row, row | {"decision_no": "other"})
    assert {r: codes(p) for r, p in result.errors.items()} == {1: [("decision_date", "required")],
                                                               2: [("decision_date", "required")]}


# --- duplicates ------------------------------------------------------------------------------------------------


def test_same_business_key_twice_in_one_frame_rejects_the_later_rows(penalty):
    result = run(penalty, penalty_row(), penalty_row(decision_no="other"), penalty_row(penalty_content="改了内容"),
                 penalty_row(subject_uscc="91370303ma3c00003d"))
    assert sorted(result.errors) == [3, 4]
    assert codes(result.errors[3]) == [("decision_no", "duplicate_in_file")]
    assert "与第1行重复" in result.errors[3][0].message_zh
    assert result.accepted == 2


def test_same_decision_for_two_parties_is_not_a_duplicate(penalty):
    result = run(penalty, penalty_row(), penalty_row(subject_uscc=make_uscc(7)),
                 penalty_row(**natural_person()), penalty_row(**natural_person(id_number="321083197812162119")))
    assert result.errors == {}


def test_duplicates_across_chunks_of_one_file(penalty):
    first = run(penalty, penalty_row(), penalty_row(decision_no="b"))
    second = run(penalty, penalty_row(decision_no="c"), penalty_row(decision_no="b"), first_row_number=3,
                 seen_keys=first.keys)
    assert list(second.errors) == [4]
    assert "与第2行重复" in second.errors[4][0].message_zh
    assert second.keys["_first_row"].to_list() == [3]


# --- frames as readers and the API give them ------------------------------------------------------------------


def test_blank_rows_are_skipped(penalty):
    empty = {k: None for k in penalty_row()}
    result = run(penalty, penalty_row(), empty, {k: " " for k in penalty_row()}, penalty_row(decision_no="z"))
    assert result.blank_rows == [2, 3]
    assert result.rows["_row"].to_list() == [1, 4]
    assert result.errors == {}


def test_non_text_columns_from_readers_are_accepted(penalty):
    frame = pl.DataFrame([penalty_row()]).with_columns(
        decision_date=pl.lit(46082, dtype=pl.Int64), valid_until=pl.lit(dt.date(2027, 3, 1)),
        fine_amount=pl.lit(0.5), publicity_until=pl.lit(dt.datetime(2027, 3, 1, 0, 0)))
    result = validate_frame(penalty, frame, today=TODAY)
    assert result.errors == {}
    row = result.rows.row(0, named=True)
    assert row["decision_date"] == dt.date(2026, 3, 1) and row["valid_until"] == dt.date(2027, 3, 1)
    assert row["fine_amount"] == 0.5 and row["publicity_until"] == dt.date(2027, 3, 1)


def test_list_columns_are_joined(penalty):
    frame = pl.DataFrame([penalty_row()]).with_columns(penalty_types=pl.lit(["警告", "罚款"], dtype=pl.List(pl.String)))
    result = validate_frame(penalty, frame, today=TODAY)
    assert result.errors == {} and result.rows["penalty_types"].to_list() == [["warning", "fine"]]


def test_empty_frames(penalty):
    for frame in (pl.DataFrame(), pl.DataFrame(schema={k: pl.String for k in penalty_row()})):
        result = validate_frame(penalty, frame, today=TODAY)
        assert result.received == 0 and result.errors == {} and result.ok_rows() == []
    assert validate_records(penalty, [], today=TODAY).received == 0


def test_records_by_alias_from_the_api(penalty):
    record = {"CF_XDR_MC": "某某公司", "CF_XDR_LB": "法人", "CF_XDR_SHXYM": SUBJECT_USCC, "CF_FRDB": "张三",
              "CF_WSH": "淄市监罚〔2026〕5号", "CF_WFXW": "x", "CF_SY": "x", "CF_YJ": "x",
              "CF_CFLB": ["警告", "罚款"], "CF_NR": "x", "CF_NR_FK": 0.5, "CF_JDRQ": "2026-03-01",
              "CF_YXQ": "2027-03-01", "CF_CFJG": "x", "CF_CFJGDM": AUTHORITY_USCC, "CF_SJLY": "x",
              "CF_SJLYDM": AUTHORITY_USCC, "经办人": "王五"}
    result = validate_records(penalty, [record, {}], today=TODAY)
    assert result.mapping.unknown == ["经办人"]
    assert 1 not in result.errors
    assert result.rows.row(0, named=True)["penalty_types"] == ["warning", "fine"]
    assert ("decision_no", "required") in codes(result.errors[2])  # an empty record is not skipped


def test_records_to_frame_is_text(penalty):
    frame, mapping = records_to_frame(penalty, [{"decision_no": 12, "fine_amount": 1.0, "decision_date": dt.date(2026, 3, 1)}])
    assert frame.schema == {"decision_no": pl.String, "fine_amount": pl.String, "decision_date": pl.String}
    assert frame.row(0) == ("12", "1", "2026-03-01")
    assert mapping.ok is False  # other required keys are missing


def test_license_row(license_class):
    row, errors, _ = one(license_class)
    assert errors == []
    assert row["license_category"] == "general" and row["status"] == "valid"
    assert row["valid_from"] == dt.date(2026, 3, 1)


# --- scale -----------------------------------------------------------------------------------------------------


def test_two_hundred_thousand_rows_validate_with_the_right_counts(penalty):
    n = 200_000
    index = pl.int_range(n, eager=True)
    usccs = [make_uscc(i) for i in range(0, n, 97)]  # a few thousand subjects, several decisions each
    frame = pl.DataFrame({
        "subject_name": "企业" + index.cast(pl.String),
        "subject_category": pl.Series(["法人及非法人组织", "legal_person", "法人"] * (n // 3 + 1))[:n],
        "subject_uscc": pl.Series(usccs * (n // len(usccs) + 1))[:n],
        "legal_rep": pl.repeat("张三", n, eager=True),
        "decision_no": "淄市监罚〔2026〕" + index.cast(pl.String) + "号",
        "violation_type": pl.repeat("未按规定公示年度报告", n, eager=True),
        "violation_facts": "事实" + index.cast(pl.String),
        "penalty_basis": pl.repeat("《企业信息公示暂行条例》第十八条", n, eager=True),
        "penalty_types": pl.Series(["警告；罚款", "罚款", "警告"] * (n // 3 + 1))[:n],
        "penalty_content": "罚款" + index.cast(pl.String) + "元",
        "fine_amount": (index % 1000).cast(pl.String) + "元",
        "decision_date": pl.Series(["2026-03-01", "2026/3/2", "2026年3月3日", "46085", "20260305"] * (n // 5 + 1))[:n],
        "valid_until": pl.repeat("2027-03-01", n, eager=True),
        "authority_name": pl.repeat("淄博市市场监督管理局", n, eager=True),
        "authority_uscc": pl.repeat(AUTHORITY_USCC, n, eager=True),
        "source_name": pl.repeat("淄博市市场监督管理局", n, eager=True),
        "source_uscc": pl.repeat(AUTHORITY_USCC, n, eager=True),
        "remarks": pl.repeat("无", n, eager=True),
    })
    bad = {10: ("decision_date", "2030-01-01"), 20_000: ("subject_uscc", "91370303MA3C00003E"),
           150_000: ("subject_category", "外星人")}
    for i, (column, value) in bad.items():
        frame = frame.with_columns(pl.when(index == i).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))
    last = index == n - 1  # same decision and subject as row 1
    frame = frame.with_columns(pl.when(last).then(pl.lit("淄市监罚〔2026〕0号")).otherwise(pl.col("decision_no")).alias("decision_no"),
                               pl.when(last).then(pl.lit(usccs[0])).otherwise(pl.col("subject_uscc")).alias("subject_uscc"))
    result = validate_frame(penalty, frame, today=TODAY)
    assert result.received == n
    assert sorted(result.errors) == [11, 20_001, 150_001, 200_000]
    assert result.accepted == n - 4
    assert result.rows.filter(pl.col("_ok")).height == n - 4
    assert result.rows["fine_amount"][999] == pytest.approx(0.0999)
    assert result.rows["decision_date"].drop_nulls().n_unique() == 5


def test_large_frames_give_the_same_verdicts_as_small_ones(penalty):
    """Columns with few distinct values are worked out once per value on large frames: same outcome."""
    tricky = [
        penalty_row(), penalty_row(decision_date="2030-01-01"), penalty_row(decision_date="46082"),
        penalty_row(subject_category="外星人"), penalty_row(penalty_types="警告；打板子"), penalty_row(fine_amount="5000元"),
        penalty_row(fine_amount="abc"), penalty_row(remarks="无"), penalty_row(valid_until="2025-01-01"),
        penalty_row(authority_uscc="11370300MB2851234C"), penalty_row(**natural_person(id_type="护照", id_number="E1")),
        penalty_row(**natural_person(id_number=None)), penalty_row(subject_category="个体工商户", subject_uscc=None,
                                                                   legal_rep=None),
    ]
    small = run(penalty, *[r | {"decision_no": f"{i}"} for i, r in enumerate(tricky)])
    copies = 6_000 // len(tricky) + 1
    large = run(penalty, *[r | {"decision_no": f"{i}-{c}"} for c in range(copies) for i, r in enumerate(tricky)])
    assert large.rows.height > 5_000
    for row in range(1, len(tricky) + 1):
        assert codes(large.errors.get(row, [])) == codes(small.errors.get(row, []))
        assert large.rows.drop("decision_no").row(row - 1) == small.rows.drop("decision_no").row(row - 1)
    assert large.rejected == small.rejected * copies


# --- inputs that decide publication (issue 11 §2) --------------------------------------------------------------


@pytest.mark.parametrize("value, code", [("测试内容", "year.format"), ("25", "year.format"), ("2025年", "year.format"),
                                         ("2027", "year.future"), ("9999", "year.future")])
def test_tax_a_level_rating_year_is_a_four_digit_year_not_in_the_future(value, code):
    """国家税务总局公告2025年第12号 rates a 纳税年度: the A-level list (a red list the public site shows) needs a real
    year; "测试内容" was accepted before. Field-level error, the row is rejected."""
    from pubcredit.catalog.registry import get_class
    from tests.lists.helpers import tax_a_row

    tax = get_class("tax_a_level")
    result = run(tax, tax_a_row(1) | {"rating_year": value})
    assert [(p.field, p.code) for p in result.errors.get(1, [])] == [("rating_year", code)]
    assert "评价年度" in result.errors[1][0].message_zh
    assert not run(tax, tax_a_row(1) | {"rating_year": "2026"}).errors


def test_valid_until_before_the_decision_date_means_no_duration_accepted_with_a_warning(penalty):
    """处罚有效期 earlier than the decision date is "no duration" (the publicity rule ignores it), not a bad row:
    accepted, with a warning saying what it means; nothing accepted is lost."""
    row, errors, warnings = one(penalty, decision_date="2026-03-01", valid_until="2026-02-28")
    assert errors == [] and row["valid_until"] == dt.date(2026, 2, 28)
    assert codes(warnings) == [("valid_until", "date.order")] and "按无期限处理" in warnings[0].message_zh
    _, errors, warnings = one(penalty, decision_date="2026-03-01", valid_until="2026-03-01")
    assert errors == [] and warnings == []
