"""Header mapping: English keys, standard Chinese labels, pinyin column codes and common variants, whatever the
case, width, parentheses or spaces; unknown columns reported; missing required columns named with their aliases;
title rows above the header skipped (issue 3, "Bad input")."""

from __future__ import annotations

import pytest

from pubcredit.catalog.headers import find_header_row, map_headers
from pubcredit.rules.errors import DomainError

PINYIN_PENALTY = ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_FRDB", "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH",
                  "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX", "CF_JDRQ",
                  "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "BZ"]


def test_pinyin_column_codes_map_onto_fields(penalty):
    mapping = map_headers(penalty, PINYIN_PENALTY)
    assert mapping.ok and not mapping.unknown
    assert mapping.columns["CF_WSH"] == "decision_no"
    assert mapping.columns["CF_SY"] == "violation_facts"
    assert mapping.columns["CF_NR_FK"] == "fine_amount"
    assert mapping.columns["CF_XDR_SHXYM"] == "subject_uscc"
    assert len(set(mapping.columns.values())) == len(PINYIN_PENALTY)


def test_pinyin_codes_are_case_insensitive_and_trimmed(penalty):
    mapping = map_headers(penalty, [" cf_wsh ", "Cf_Jdrq"])
    assert mapping.columns == {" cf_wsh ": "decision_no", "Cf_Jdrq": "decision_date"}


def test_standard_chinese_labels_and_english_keys_map(penalty, license_class):
    labels = [f.label_zh for f in penalty.fields]
    assert map_headers(penalty, labels).columns == {f.label_zh: f.key for f in penalty.fields}
    keys = [f.key for f in license_class.fields]
    assert map_headers(license_class, keys).columns == {k: k for k in keys}
    assert map_headers(license_class, ["XK_WSH", "XK_YXQZI"]).columns == {"XK_WSH": "decision_no", "XK_YXQZI": "valid_to"}


@pytest.mark.parametrize("header", ["罚款金额（万元）", "罚款金额(万元)", "罚款金额 ( 万元 )", "罚款金额【万元】",
                                    "＊罚款金额（万元）", "*罚款金额(万元)：", "罚款金额"])
def test_parentheses_width_spaces_and_required_marks_are_ignored(penalty, header):
    assert map_headers(penalty, [header]).columns == {header: "fine_amount"}


def test_full_width_latin_in_pinyin_codes(penalty):
    assert map_headers(penalty, ["ＣＦ＿ＷＳＨ"]).columns == {"ＣＦ＿ＷＳＨ": "decision_no"}


@pytest.mark.parametrize("header, key", [("决定文书号", "decision_no"), ("处罚决定书文号", "decision_no"),
                                         ("行政处罚决定书文号", "decision_no"),
                                         ("行政相对人代码_1（统一社会信用代码）", "subject_uscc"),
                                         ("行政相对人代码_1", "subject_uscc"), ("法定代表人身份证号", "legal_rep_id_number")])
def test_common_chinese_variants(penalty, header, key):
    assert map_headers(penalty, [header]).columns == {header: key}


def test_unknown_columns_are_reported_and_blank_headers_skipped(penalty):
    headers = [f.label_zh for f in penalty.fields] + ["经办人", "联系电话", "", "  ", None]
    mapping = map_headers(penalty, headers)
    assert mapping.unknown == ["经办人", "联系电话"]
    assert mapping.ok
    warning = mapping.unknown_problem()
    assert warning.code == "catalog.unknown_columns" and "经办人、联系电话" in warning.message_zh


def test_missing_required_columns_are_named_with_their_aliases(penalty):
    headers = [f.label_zh for f in penalty.fields if f.key not in ("decision_no", "decision_date")]
    mapping = map_headers(penalty, headers)
    assert not mapping.ok
    missing = {m.key: m for m in mapping.missing_required}
    assert set(missing) == {"decision_no", "decision_date"}
    key, label, aliases = missing["decision_no"]  # a (field_key, label_zh, aliases) tuple
    assert (key, label) == ("decision_no", "行政处罚决定书文号")
    assert "CF_WSH" in aliases and "决定文书号" in aliases
    with pytest.raises(DomainError) as err:
        mapping.raise_if_missing()
    assert err.value.code == "catalog.missing_columns"
    assert "行政处罚决定书文号" in err.value.message_zh and "处罚决定日期" in err.value.message_zh
    by_field = {p.field: p for p in err.value.problems}
    assert "CF_WSH" in by_field["decision_no"].message_zh and "CF_JDRQ" in by_field["decision_date"].message_zh


def test_conditionally_required_columns_may_be_absent(penalty):
    """subject_uscc, legal_rep, id_type, id_number are required only for some subjects: the plan checks rows."""
    headers = [f.label_zh for f in penalty.fields if f.required]
    mapping = map_headers(penalty, headers)
    assert mapping.ok
    assert "subject_uscc" not in mapping.columns.values()


def test_a_second_column_for_the_same_field_is_reported_not_used(penalty):
    mapping = map_headers(penalty, ["CF_WSH", "行政处罚决定书文号"])
    assert mapping.columns == {"CF_WSH": "decision_no"}
    assert mapping.duplicated == ["行政处罚决定书文号"]


def test_header_row_found_below_title_rows(penalty):
    rows = [
        ["淄博市市场监督管理局行政处罚信息（2026年10月）", "", ""],
        ["填报单位：淄博市市场监督管理局", "", "填报日期：2026-11-02"],
        ["行政相对人名称", "CF_WSH", "处罚决定日期", "经办人"],
        ["某某公司", "淄市监罚〔2026〕1号", "2026-10-08", "王五"],
    ]
    assert find_header_row(rows, penalty) == 2


def test_header_row_is_the_first_row_when_there_is_no_title(penalty):
    assert find_header_row([["CF_XDR_MC", "CF_WSH"], ["某某公司", "x"]], penalty) == 0
    assert find_header_row([["a", "b"], ["c", "d"]], penalty) == 0  # nothing recognised: mapping will say what is missing


def test_header_row_scan_is_bounded(penalty):
    rows = [["标题"]] * 12 + [["CF_WSH", "CF_JDRQ"]]
    assert find_header_row(rows, penalty, max_scan=10) == 0
    assert find_header_row(rows, penalty, max_scan=20) == 12
