"""Industry of an organisation (国民经济行业分类, GB/T 4754-2017): its section (门类, a letter A–T).

Registration data (企业登记注册信息) carries the industry as a section letter, a section name, or a class code
(``C3011``, ``3011``, ``30``: the first two digits are the division, 大类, which lies in one section). The platform
keeps the section only: figures by industry (the evaluation's distribution, financing) read it, and a section is
what every department's export can give.
"""

from __future__ import annotations

import re

__all__ = ["SECTIONS", "IndustryError", "industry_section", "section_name"]

# GB/T 4754-2017 门类 (20 sections) and the divisions (大类, two-digit codes 01–97) each holds
SECTIONS: dict[str, str] = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业",
    "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业",
    "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业", "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业", "P": "教育", "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织", "T": "国际组织",
}
_DIVISIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52), "G": (53, 60),
    "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79),
    "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
}
_BY_NAME = {name: letter for letter, name in SECTIONS.items()}
_CODE = re.compile(r"^([A-T])?(\d{2})(\d{1,2})?$")


class IndustryError(ValueError):
    """The value is no GB/T 4754-2017 section, section name or class code."""


def industry_section(value: str) -> str:
    """The section letter of ``value`` (GB/T 4754-2017): a letter (``C``), a name (``制造业``) or a code whose first
    two digits are the division (``C3011``, ``3011``, ``30``); a code's letter, if given, must be its division's."""
    text = (value or "").strip().upper().replace(" ", "")
    if text in SECTIONS:
        return text
    named = _BY_NAME.get((value or "").strip())
    if named:
        return named
    match = _CODE.match(text)
    if match:
        division = int(match.group(2))
        section = next((s for s, (low, high) in _DIVISIONS.items() if low <= division <= high), None)
        if section is not None and match.group(1) in (None, section):
            return section
    raise IndustryError(f"“{value}”不是国民经济行业分类（GB/T 4754-2017）的门类字母、门类名称或行业代码")


def section_name(letter: str | None) -> str:
    """``C`` → ``C 制造业``; none → ``未登记行业``."""
    return f"{letter} {SECTIONS[letter]}" if letter in SECTIONS else "未登记行业"
