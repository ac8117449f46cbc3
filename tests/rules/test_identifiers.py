"""Identifiers: unified social credit code (统一社会信用代码, GB 32100-2015) and resident identity number
(公民身份号码, GB 11643-1999). Examples from domain/rules.md §10, then properties over generated codes."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubcredit.rules.identifiers import (
    check_resident_id,
    check_uscc,
    mask_resident_id,
    normalise_code,
    resident_id_check_char,
    uscc_check_char,
)

# Independent of the code under test: the algorithms as rules.md §10 writes them down.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
DIGITS = "0123456789"


def gb32100_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def gb11643_check(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, RID_WEIGHTS, strict=True)) % 11]


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# -- USCC examples (rules.md §10.1) ---------------------------------------------------------------------

@pytest.mark.parametrize("code", ["91310110666007217T", "91310115591693856A", "91370303MA3C00003D",
                                  "N2370302MF00000011"])
def test_uscc_valid_examples(code):
    result = check_uscc(code)
    assert result.ok and result.value == code and result.warnings == []


def test_uscc_letter_registering_authority_is_accepted_unlike_stdnum():
    """GB 32100 allows a letter registering authority (N = 农业); stdnum's validate() refuses it."""
    from stdnum.cn import uscc as stdnum_uscc
    from stdnum.exceptions import ValidationError

    with pytest.raises(ValidationError):
        stdnum_uscc.validate("N2370302MF00000011")
    assert check_uscc("N2370302MF00000011").ok


def test_uscc_really_issued_code_failing_its_checksum_needs_the_allowlist():
    """Early Fujian pilot codes really issued with a wrong check character: rejected, unless confirmed."""
    refused = check_uscc("91350100M0001TGQXM")
    assert not refused.ok and refused.value is None and codes(refused) == ["uscc.checksum"]
    assert "第18位应为1" in refused.problems[0].message_zh and refused.problems[0].field == "uscc"
    accepted = check_uscc("91350100m0001tgqxm", allowlist=frozenset({"91350100M0001TGQXM"}))
    assert accepted.ok and accepted.value == "91350100M0001TGQXM"
    assert [w.code for w in accepted.warnings] == ["uscc.checksum_confirmed"]


@pytest.mark.parametrize(("raw", "code"), [
    ("", "uscc.required"), (None, "uscc.required"), ("9137030", "uscc.length"),
    ("91370303MA3C00003DX", "uscc.length"), ("9137030IMA3C00003D", "uscc.format"),  # I is not in the set
    ("91370A03MA3C00003D", "uscc.format"),  # division code must be digits
    ("91370303MA3C00003S", "uscc.format"), ("91370303MA3C00003E", "uscc.checksum"),
])
def test_uscc_errors(raw, code):
    result = check_uscc(raw, field_name="tyshxydm")
    assert codes(result) == [code] and result.value is None
    assert result.problems[0].field == "tyshxydm" and result.problems[0].message_zh


@pytest.mark.parametrize("raw", ["９１３７０３０３ＭＡ３Ｃ００００３Ｄ", " 9137 0303 MA3C 0000 3D ", "91370303ma3c00003d",
                                 "913703-03MA3C00003D", "９１３７０３０３\u3000ma3c００００３d"])
def test_uscc_full_width_spaced_and_lower_case_input_is_normalised(raw):
    assert check_uscc(raw).value == "91370303MA3C00003D"


# -- resident ID examples (rules.md §10.2) --------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value"), [
    ("321083197812162119", "321083197812162119"), ("33010219200403064X", "33010219200403064X"),
    ("33010219200403064x", "33010219200403064X"), ("370303199001010017", "370303199001010017"),
    ("81000019980902013X", "81000019980902013X"), ("932682198501010017", "932682198501010017"),
])
def test_resident_id_valid_examples(raw, value):
    result = check_resident_id(raw)
    assert result.ok and result.value == value and result.warnings == []


def test_legacy_15_digit_id_is_upgraded_with_a_warning():
    result = check_resident_id("150102880730303")
    assert result.ok and result.value == "150102198807303035"
    assert [w.code for w in result.warnings] == ["id.legacy_upgraded"]


@pytest.mark.parametrize(("raw", "code"), [
    ("321083197812162110", "id.checksum"), ("3301022011022000D6", "id.format"),
    ("201511221897205960", "id.birth_date"), ("", "id.required"), ("3210831978121621", "id.length"),
    ("15010288073030X", "id.format"),
])
def test_resident_id_errors(raw, code):
    result = check_resident_id(raw)
    assert codes(result) == [code] and result.value is None and result.problems[0].field == "id_number"


def test_resident_id_born_after_today_is_refused_when_today_is_given():
    number = "37030320300101001" + gb11643_check("37030320300101001")  # born 2030-01-01
    assert check_resident_id(number).ok
    assert codes(check_resident_id(number, today=dt.date(2026, 11, 20))) == ["id.birth_date"]


def test_resident_id_failing_checksum_is_accepted_when_confirmed():
    result = check_resident_id("321083197812162110", allowlist=frozenset({"321083197812162110"}))
    assert result.ok and [w.code for w in result.warnings] == ["id.checksum_confirmed"]


def test_resident_id_full_width_and_spaced_input_is_normalised():
    assert check_resident_id("３３０１０２ １９２００４０３ ０６４ｘ").value == "33010219200403064X"
    assert normalise_code(" 3701-0219 ") == "37010219"


def test_masking_keeps_the_address_code_and_the_last_four():
    assert mask_resident_id("370303199001010017") == "370303********0017"
    assert mask_resident_id("150102880730303") == "150102*****0303"
    assert mask_resident_id("12345") == "*****"


# -- properties: USCC -----------------------------------------------------------------------------------

uscc_chars = st.sampled_from(USCC_ALPHABET)


@st.composite
def valid_usccs(draw) -> str:
    """18 characters: 2 from the GB 32100 set, a 6-digit division code, 9 from the set, the check."""
    first17 = (draw(st.text(uscc_chars, min_size=2, max_size=2)) + draw(st.text(st.sampled_from(DIGITS), min_size=6,
                                                                                max_size=6))
               + draw(st.text(uscc_chars, min_size=9, max_size=9)))
    return first17 + gb32100_check(first17)


@given(first17=st.text(uscc_chars, min_size=17, max_size=17))
def test_property_uscc_check_char_follows_gb32100(first17):
    assert uscc_check_char(first17) == gb32100_check(first17)


@given(code=valid_usccs())
def test_property_any_generated_valid_uscc_passes(code):
    result = check_uscc(code)
    assert result.ok and result.value == code and result.warnings == []


@given(code=valid_usccs(), spaces=st.lists(st.integers(0, 18), max_size=4))
def test_property_uscc_normalisation_is_idempotent(code, spaces):
    raw = full_width(code.lower())
    for position in sorted(spaces, reverse=True):
        raw = raw[:position] + " " + raw[position:]
    assert check_uscc(raw).value == code
    assert normalise_code(normalise_code(raw)) == normalise_code(raw) == code


@given(code=valid_usccs(), position=st.integers(0, 17), data=st.data())
def test_property_changing_one_uscc_character_is_caught(code, position, data):
    """GB 32100's MOD 31 check detects every single substitution (31 is prime, no weight is 0)."""
    new = data.draw(uscc_chars.filter(lambda c: c != code[position]))
    changed = code[:position] + new + code[position + 1:]
    expected = "uscc.format" if 2 <= position <= 7 and not new.isdigit() else "uscc.checksum"
    assert codes(check_uscc(changed)) == [expected]


# -- properties: resident ID ----------------------------------------------------------------------------

digits = st.sampled_from(DIGITS)


@st.composite
def valid_resident_ids(draw) -> str:
    address = draw(st.text(digits, min_size=6, max_size=6))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 20)))
    first17 = address + born.strftime("%Y%m%d") + draw(st.text(digits, min_size=3, max_size=3))
    return first17 + gb11643_check(first17)


def _birth_date_ok(number: str) -> bool:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])).year >= 1900
    except ValueError:
        return False


@given(first17=st.text(digits, min_size=17, max_size=17))
def test_property_resident_id_check_char_follows_gb11643(first17):
    assert resident_id_check_char(first17) == gb11643_check(first17)


@given(number=valid_resident_ids())
def test_property_any_generated_valid_resident_id_passes(number):
    result = check_resident_id(number, today=dt.date(2026, 11, 20))
    assert result.ok and result.value == number and result.warnings == []
    assert mask_resident_id(number) == number[:6] + "********" + number[-4:]


@given(number=valid_resident_ids(), position=st.integers(0, 17), data=st.data())
def test_property_changing_one_resident_id_character_is_caught(number, position, data):
    """ISO 7064 MOD 11-2 detects every single substitution; a changed birth digit may show first as a bad date."""
    new = data.draw(st.sampled_from(DIGITS + "X").filter(lambda c: c != number[position]))
    changed = number[:position] + new + number[position + 1:]
    if position < 17 and new == "X":
        expected = "id.format"
    elif 6 <= position <= 13 and not _birth_date_ok(changed):
        expected = "id.birth_date"
    else:
        expected = "id.checksum"
    assert codes(check_resident_id(changed)) == [expected]


@st.composite
def impossible_birth_dates(draw) -> str:
    """YYYYMMDD strings that are not a real date on or after 1900-01-01."""
    year = draw(st.integers(1900, 2099))
    kind = draw(st.sampled_from(["month", "day", "feb", "short_month", "before_1900"]))
    if kind == "month":
        return f"{year}{draw(st.sampled_from([0, *range(13, 100)])):02d}{draw(st.integers(1, 28)):02d}"
    if kind == "day":
        return f"{year}{draw(st.integers(1, 12)):02d}{draw(st.sampled_from([0, *range(32, 100)])):02d}"
    if kind == "feb":
        return f"{year}02{draw(st.integers(30 if calendar.isleap(year) else 29, 31)):02d}"
    if kind == "short_month":
        return f"{year}{draw(st.sampled_from([4, 6, 9, 11])):02d}31"
    return f"{draw(st.integers(1000, 1899))}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"


@given(address=st.text(digits, min_size=6, max_size=6), born=impossible_birth_dates(),
       sequence=st.text(digits, min_size=3, max_size=3))
def test_property_impossible_birth_date_is_refused(address, born, sequence):
    first17 = address + born + sequence
    result = check_resident_id(first17 + gb11643_check(first17))  # right check character: only the date is wrong
    assert codes(result) == ["id.birth_date"] and born in result.problems[0].message_zh
