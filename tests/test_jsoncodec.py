"""The fast JSON encoder must give byte for byte the text the standard library gave: hashes depend on it."""

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit import jsoncodec

_scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text()
            | st.floats(allow_nan=False, allow_infinity=False) | st.dates()
            | st.datetimes(timezones=st.just(dt.UTC)) | st.decimals(allow_nan=False, allow_infinity=False))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                       max_leaves=20)


@settings(max_examples=2000)
@given(_values)
def test_canonical_is_the_standard_librarys_sorted_compact_text(value):
    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    assert jsoncodec.canonical(value) == expected


@settings(max_examples=2000)
@given(_values)
def test_compact_is_the_standard_librarys_compact_text(value):
    assert jsoncodec.compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def test_control_characters_and_chinese_are_encoded_as_before():
    value = {"名称": "淄博\u2028\n\t\x01\"\\", "amount": Decimal("1.50"), "n": 2**65}
    assert jsoncodec.canonical(value) == json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                                                    default=str)


def test_floats_are_found_beside_text_that_looks_like_numbers():
    # the float pre-check must not be fooled by times or amounts written as text, in either direction
    for value in ({"t": "2026-11-29T01:33:37.123456+00:00", "fine": 1e-7}, ["a,1.5", 6e-05], {"a": {"b": [1, -0.5]}},
                  {"t": "01:33:37.5"}, 1e16, [[], 2.0]):
        assert jsoncodec.canonical(value) == json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                        separators=(",", ":"), default=str)
