"""JSON text for hashes and bulk writes, encoded with orjson (规范化 JSON).

The audit chain, record content hashes and business-key hashes are computed over JSON text, so the text must not
change: these functions give exactly what ``json.dumps(value, ensure_ascii=False, separators=(",", ":"),
default=str)`` (with ``sort_keys=True`` for :func:`canonical`) gives for the values we store (str, int, float,
bool, None, lists, dicts, dates, datetimes, Decimals), about ten times faster. Datetimes go through ``str`` as
the standard library did; anything orjson refuses (integers over 64 bits) falls back to the standard library,
and so does any text holding a float. A test compares both encoders on generated values.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_UNSORTED = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
# orjson formats floats its own way (1e-7, 0.00006): a value holding a float is encoded by the standard library.
# A float orjson writes is a number token with a "." or an exponent, and in compact JSON a token starts the text or
# follows a key's closing quote and colon, an opening bracket or a comma. Only text with such a match is walked to
# look for a float: timestamps ("…T01:33:37.1…") and amounts written as text stay on the fast path.
_FLOAT_TOKEN = re.compile(rb'(?:^|":|[\[,])-?[0-9]+(?:\.[0-9]|[eE])')


def _has_float(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if type(item) is str or type(item) is int or item is None:  # most values: skip the isinstance checks
            continue
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False


def _encode(value: Any, option: int) -> bytes | None:
    try:
        text = orjson.dumps(value, default=str, option=option)
    except (orjson.JSONEncodeError, TypeError):
        return None
    if _FLOAT_TOKEN.search(text) and _has_float(value):
        return None
    return text


def canonical(value: Any) -> str:
    """Sorted keys, no spaces, non-ASCII as is: the text hashes are computed over."""
    text = _encode(value, _SORTED)
    if text is None:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.decode()


def compact(value: Any) -> str:
    """Keys in their order, no spaces, non-ASCII as is: what JSON columns are written with."""
    text = _encode(value, _UNSORTED)
    if text is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.decode()
