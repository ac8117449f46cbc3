"""The payload JSON of the set-based import (issue 18): encoded by orjson without the standard library's float
fallback where that gives the same bytes, so the stored JSON and the content hashes of existing data do not change.
"""

import json
import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.ingest.setwise import canonical_row, compact_cells, floats_plain, key_text
from pubcredit.records.services import keyed_hash
from pubcredit.subjects import crypto
from pubcredit.jsoncodec import canonical, compact


def standard(value) -> str:
    """The text the stored JSON and the content hashes were first made with (the standard library)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


amounts = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none(),
                    st.sampled_from([0.0, -0.0, 1e-4, 9e-05, 0.00009, 1e16, 9999999999999998.0, 0.05, 20.0, 5000.0,
                                     1.5e-7, 123456.78, float("nan"), float("inf")]),
                    st.decimals(0, 100_000, places=2).map(float))
rows = st.fixed_dictionaries({
    "fine_amount": amounts, "confiscation_amount": amounts,
    "decision_no": st.text(max_size=12), "penalty_types": st.lists(st.sampled_from(["fine", "warning"]), max_size=2),
    "decision_date": st.dates().map(lambda d: d.isoformat()),
    "subject_name": st.text(alphabet="淄博测试企业有限公司ab\"\\", max_size=8),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, min_size=1, max_size=20))
def test_bulk_payload_json_is_byte_identical_to_the_standard_library_and_the_codec(batch):
    frame = pl.DataFrame(batch, schema={"fine_amount": pl.Float64, "confiscation_amount": pl.Float64,
                                        "decision_no": pl.String, "penalty_types": pl.List(pl.String),
                                        "decision_date": pl.String, "subject_name": pl.String})
    for values, plain in zip(batch, floats_plain(frame), strict=True):
        text = canonical_row(values, plain=plain)
        assert text == canonical(values)  # what is stored today, byte for byte
        if all(math.isfinite(v) for v in (values["fine_amount"], values["confiscation_amount"]) if v is not None):
            assert text == standard(values)  # (the codec writes NaN and infinities as null; the plan gives none)


def test_rows_with_floats_orjson_prints_differently_keep_the_codec():
    frame = pl.DataFrame({"fine_amount": [0.05, 9e-05, 1e16, float("nan"), None, 0.0, 9999999999999998.0],
                          "note": ["a"] * 7})
    assert floats_plain(frame) == [True, False, False, False, True, True, True]
    assert canonical_row({"fine_amount": 9e-05}, plain=False) == '{"fine_amount":9e-05}'
    assert canonical_row({"fine_amount": 1e16}, plain=False) == '{"fine_amount":1e+16}'


def test_a_float_inside_a_list_is_never_taken_as_plain():
    frame = pl.DataFrame({"amounts": [[0.5, 1e-7]]}, schema={"amounts": pl.List(pl.Float64)})
    assert floats_plain(frame) == [False]


def test_a_row_orjson_cannot_encode_falls_back_to_the_codec():
    value = {"big": 2**70, "fine_amount": 0.5}
    assert canonical_row(value, plain=True) == standard(value)


def compact_standard(value) -> str:
    """What the versions' ``original`` column was first written with (keys in the sender's order)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


cells = st.dictionaries(st.text(alphabet="罚款金额（万元）ab,:\"[", min_size=1, max_size=6),
                        st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["1.5", "[1,2.5]", ",3e5", "-0.1"]),
                                  st.floats(allow_nan=False, allow_infinity=False), st.integers(-2**70, 2**70),
                                  st.dates()),
                        max_size=8)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_original_cells_json_is_byte_identical_to_the_standard_library_and_the_codec(values):
    """Cells that are all text (a CSV row; numbers written as text look like floats to the codec's search) take
    orjson directly, anything else the codec: either way the bytes the column always had."""
    assert compact_cells(values) == compact(values) == compact_standard(values)


key_parts = st.tuples(st.just("admin_penalty"), st.one_of(st.none(), st.text(max_size=12),
                                                          st.sampled_from(["1.5", "2026-01-05", ",3e5"]),
                                                          st.floats(allow_nan=False, allow_infinity=False),
                                                          st.integers(-2**70, 2**70), st.lists(st.text(max_size=3))),
                      st.one_of(st.none(), st.text(alphabet="91370300MA0123456789X", max_size=18)))


@settings(max_examples=300, deadline=None)
@given(key_parts)
def test_business_key_hash_is_the_row_paths(parts):
    """The set-based path's key text and keyed hash (key read once per chunk) are the row path's ``keyed_hash``."""
    assert key_text(parts) == canonical(parts)
    assert crypto.lookup_hasher()(key_text(parts)) == keyed_hash(*parts) == crypto.lookup_hash(canonical(parts))
