"""Identifier rules: unified social credit code (统一社会信用代码, GB 32100-2015) and resident identity number
(公民身份号码, GB 11643-1999), on top of python-stdnum.

stdnum's traps are handled here: ``uscc.validate`` wants eight leading digits, but GB 32100 allows a letter
registering authority (``N2370302MF00000011``), so the first two characters are relaxed and stdnum's own check
character calculation reused. A code failing its checksum is an error unless an operator has confirmed it
(allowlist), then it is accepted with a warning: some really-issued early codes fail (``91350100M0001TGQXM``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from dataclasses import field as dc_field

from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from pubcredit.rules.errors import Problem

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
RID18_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
RID15_PATTERN = re.compile(r"^[0-9]{15}$")
_SPACES = re.compile(r"[\s\u3000\-]+")


@dataclass(frozen=True)
class IdentifierCheck:
    """Outcome of checking one identifier: the normalised value when usable, and what was wrong."""

    value: str | None
    problems: list[Problem] = dc_field(default_factory=list)
    warnings: list[Problem] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def normalise_code(raw: str) -> str:
    """Full-width to half-width (NFKC), spaces and dashes removed, upper case: ``９１３７ 0303…`` → ``913703…``."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", raw or "")).upper()


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character over the first 17 characters (weights 3^i mod 31)."""
    return stdnum_uscc.calc_check_digit(first17)


def resident_id_check_char(first17: str) -> str:
    """GB 11643 check character over the first 17 digits (ISO 7064 MOD 11-2)."""
    # stdnum's ric.calc_check_digit takes all 18 characters and ignores the last one.
    return stdnum_ric.calc_check_digit(first17 + "0")


def _problem(code: str, zh: str, en: str, field_name: str) -> Problem:
    return Problem(code, zh, en, field_name)


def check_uscc(raw: str | None, *, allowlist: Container[str] = frozenset(), field_name: str = "uscc") -> IdentifierCheck:
    """Validate and normalise a unified social credit code (统一社会信用代码)."""
    value = normalise_code(raw or "")
    if not value:
        return IdentifierCheck(None, [_problem("uscc.required", "统一社会信用代码不能为空", "USCC is required", field_name)])
    if len(value) != 18:
        return IdentifierCheck(None, [_problem(
            "uscc.length", f"统一社会信用代码应为18位，实际为{len(value)}位",
            f"USCC must have 18 characters, got {len(value)}", field_name)])
    if not USCC_PATTERN.match(value):
        return IdentifierCheck(None, [_problem(
            "uscc.format", "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z）或第3-8位不是数字",
            "USCC has characters outside GB 32100's set (no I, O, S, V, Z) or a non-digit division code", field_name)])
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        if value in allowlist:
            return IdentifierCheck(value, [], [_problem(
                "uscc.checksum_confirmed", "该代码校验位不符，但已由操作员确认为真实赋码，予以接收",
                "USCC fails its checksum but an operator confirmed it as really issued", field_name)])
        return IdentifierCheck(None, [_problem(
            "uscc.checksum", f"统一社会信用代码校验位错误（第18位应为{expected}）",
            f"USCC check character is wrong (expected {expected})", field_name)])
    return IdentifierCheck(value)


def uscc_division(uscc: str) -> str:
    """The administrative division code (positions 3–8) of a USCC."""
    return uscc[2:8]


def _birth_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def check_resident_id(raw: str | None, *, allowlist: Container[str] = frozenset(), today: dt.date | None = None,
                      field_name: str = "id_number") -> IdentifierCheck:
    """Validate a resident identity number (公民身份号码), upgrading a legacy 15-digit number to 18 digits."""
    value = normalise_code(raw or "")
    if not value:
        return IdentifierCheck(None, [_problem("id.required", "身份证号码不能为空", "ID number is required", field_name)])
    warnings: list[Problem] = []
    if len(value) == 15:
        if not RID15_PATTERN.match(value):
            return IdentifierCheck(None, [_problem("id.format", "15位身份证号码只能由数字组成",
                                                   "15-digit ID numbers are digits only", field_name)])
        upgraded17 = value[:6] + "19" + value[6:]
        value = upgraded17 + resident_id_check_char(upgraded17)
        warnings.append(_problem("id.legacy_upgraded", "15位旧号码已升位为18位", "legacy 15-digit number upgraded to 18", field_name))
    elif len(value) != 18:
        return IdentifierCheck(None, [_problem("id.length", f"身份证号码应为18位（或15位旧号码），实际为{len(value)}位",
                                               f"ID number must have 18 (or legacy 15) characters, got {len(value)}", field_name)])
    if not RID18_PATTERN.match(value):
        return IdentifierCheck(None, [_problem("id.format", "身份证号码前17位应为数字，末位为数字或X",
                                               "ID number: 17 digits then a digit or X", field_name)])
    born = _birth_date(value[6:10], value[10:12], value[12:14])
    if born is None or born.year < 1900 or (today is not None and born > today):
        return IdentifierCheck(None, [_problem("id.birth_date", f"身份证号码中的出生日期不存在：{value[6:14]}",
                                               f"ID number has an impossible birth date {value[6:14]}", field_name)])
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        if value in allowlist:
            warnings.append(_problem("id.checksum_confirmed", "该号码校验位不符，但已由操作员确认，予以接收",
                                     "ID number fails its checksum but an operator confirmed it", field_name))
            return IdentifierCheck(value, [], warnings)
        return IdentifierCheck(None, [_problem("id.checksum", f"身份证号码校验位错误（末位应为{expected}）",
                                               f"ID number check character is wrong (expected {expected})", field_name)])
    return IdentifierCheck(value, [], warnings)


def mask_resident_id(value: str) -> str:
    """Mask an ID number for display: keep the 6-digit address code and the last 4 (``370303********0017``)."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
