"""Industry sections (国民经济行业门类, GB/T 4754-2017 第5章 代码表): a registration export's letter, section name or
class code gives one of the 20 sections; the 97 divisions each lie in exactly one section."""

from __future__ import annotations

import pytest

from pubcredit.rules.industries import _DIVISIONS, SECTIONS, IndustryError, industry_section, section_name


def test_gb_t_4754_2017_has_20_sections_and_97_divisions_each_in_one_section():
    assert len(SECTIONS) == 20 and list(SECTIONS) == list("ABCDEFGHIJKLMNOPQRST")
    divisions = [d for low, high in _DIVISIONS.values() for d in range(low, high + 1)]
    assert sorted(divisions) == list(range(1, 98))  # 01–97, no gap, no overlap


@pytest.mark.parametrize(("given", "section"), [
    ("C", "C"), (" c ", "C"), ("制造业", "C"), ("C3011", "C"), ("3011", "C"), ("30", "C"), ("13", "C"), ("43", "C"),
    ("44", "D"), ("06", "B"), ("05", "A"), ("F5212", "F"), ("70", "K"), ("83", "P"), ("96", "S"), ("97", "T"),
    ("I6510", "I"), ("公共管理、社会保障和社会组织", "S"),
])
def test_a_letter_a_name_or_a_class_code_gives_its_section(given, section):
    assert industry_section(given) == section


@pytest.mark.parametrize("given", ["", "Z", "99", "00", "D3011", "化工", "C30111", "3"])
def test_anything_else_is_refused_with_the_standard_named(given):
    with pytest.raises(IndustryError, match="GB/T 4754-2017"):
        industry_section(given)


def test_section_name_is_chinese_and_an_unregistered_industry_says_so():
    assert section_name("C") == "C 制造业" and section_name(None) == "未登记行业"
