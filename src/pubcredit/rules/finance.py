"""信易贷 as pure rules: when an enterprise's authorisation (授权) lets a financial institution read its profile, and
why not otherwise. No Django here: the finance app reads the authorisations and passes them in.

国办发〔2021〕52号 (shared/domain/rules.md §11) has enterprise credit data shared with banks through financing
credit service platforms; this platform shares it only with the enterprise's own authorisation, for a named
institution, a scope, a purpose and a term, revocable at any time (docs/finance.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from pubcredit.rules.errors import DomainError

# Authorisation states (授权状态), with their Chinese labels; see ``authorisation_state``.
STATE_LABELS = {"pending": "未到起始日", "in_force": "有效", "expired": "已到期", "revoked": "已撤销"}
SOURCES = ("records", "lists", "monthly", "evaluation")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScopeItem(_Strict):
    """One thing an enterprise may put in an authorisation's scope: a catalogue class (its records, its list
    entries, or its monthly series) or the evaluation class."""

    code: str
    name_zh: str
    source: str
    subject_kinds: tuple[str, ...] = ("legal_person", "individual_business")
    note_zh: str = ""


class ProfileBook(_Strict):
    version: str
    max_term_days: int = Field(gt=0)
    items: tuple[ScopeItem, ...] = Field(min_length=1)

    def item(self, code: str) -> ScopeItem:
        found = next((i for i in self.items if i.code == code), None)
        if found is None:
            known = "、".join(i.code for i in self.items)
            raise DomainError("finance.unknown_scope", f"授权范围中有未知的信息项：{code}（可选：{known}）",
                              f"unknown scope item {code!r}", "scope")
        return found

    def codes(self) -> list[str]:
        return [i.code for i in self.items]


def parse_profile_book(data: dict, *, catalogue_classes: Iterable[str]) -> ProfileBook:
    """The profile rulebook, checked: every item but the evaluation names a catalogue class; codes are unique."""
    book = ProfileBook.model_validate(data)
    known = set(catalogue_classes)
    seen: set[str] = set()
    for item in book.items:
        if item.source not in SOURCES:
            raise ValueError(f"item {item.code}: source must be one of {', '.join(SOURCES)}")
        if item.source != "evaluation" and item.code not in known:
            raise ValueError(f"item {item.code}: not a catalogue class")
        if item.code in seen:
            raise ValueError(f"item {item.code}: duplicate")
        seen.add(item.code)
    return book


@dataclass(frozen=True)
class Grant:
    """What the rule needs of one authorisation."""

    authorisation_id: str
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    revoked: bool
    scope: frozenset[str]


def authorisation_state(grant: Grant, today: dt.date) -> str:
    """An authorisation is in force from its first to its last day (both inclusive) unless revoked; a revocation
    takes effect at once (授权可随时撤销)."""
    if grant.revoked:
        return "revoked"
    if today < grant.starts_on:
        return "pending"
    if today > grant.ends_on:
        return "expired"
    return "in_force"


@dataclass(frozen=True)
class ReadDecision:
    allowed: bool
    grant: Grant | None
    sections: tuple[str, ...]
    code: str = ""
    message_zh: str = ""
    message_en: str = ""


_REFUSALS = {
    "revoked": ("finance.authorisation_revoked", "企业已撤销对贵机构的授权，不能查询",
                "the enterprise revoked its authorisation"),
    "expired": ("finance.authorisation_expired", "企业对贵机构的授权已到期，不能查询",
                "the enterprise's authorisation has ended"),
    "pending": ("finance.authorisation_not_started", "企业对贵机构的授权尚未到起始日，不能查询",
                "the enterprise's authorisation has not started yet"),
}


def read_decision(grants: Sequence[Grant], *, requested: Sequence[str] | None, today: dt.date) -> ReadDecision:
    """May the institution read the profile today, and which sections? Only within an authorisation in force and
    only its scope (授权范围). ``grants``: the institution's authorisations by this enterprise, newest first;
    ``requested``: the sections asked for (None: the whole scope of the newest authorisation in force).

    Refusals say why: no authorisation ever, the newest one revoked, ended or not yet started, or sections asked
    for outside every authorisation in force (naming them)."""
    if not grants:
        return ReadDecision(False, None, (), "finance.not_authorised", "该企业未授权贵机构查询其信用信息",
                            "the enterprise has not authorised this institution")
    in_force = [g for g in grants if authorisation_state(g, today) == "in_force"]
    if not in_force:
        code, zh, en = _REFUSALS[authorisation_state(grants[0], today)]
        return ReadDecision(False, grants[0], (), code, zh, en)
    if requested is None:
        grant = in_force[0]
        return ReadDecision(True, grant, tuple(sorted(grant.scope)))
    wanted = frozenset(requested)
    for grant in in_force:
        if wanted <= grant.scope:
            return ReadDecision(True, grant, tuple(sorted(wanted)))
    widest = max(in_force, key=lambda g: len(wanted & g.scope))
    outside = sorted(wanted - widest.scope)
    return ReadDecision(False, widest, (), "finance.outside_scope",
                        f"超出企业授权范围的信息项：{'、'.join(outside)}", f"outside the authorised scope: {', '.join(outside)}")


def term_problems(starts_on: dt.date, ends_on: dt.date, *, today: dt.date, max_days: int) -> list[tuple[str, str, str, str]]:
    """An authorisation's term: starts today or later, ends on or after its start, at most ``max_days`` long
    (a platform setting, rulebook/finance/profile.yaml). Returns (code, zh, en, field) per problem."""
    problems = []
    if starts_on < today:
        problems.append(("finance.term_past", "授权起始日不能早于今天", "the term cannot start in the past", "starts_on"))
    if ends_on < starts_on:
        problems.append(("finance.term_order", "授权截止日不能早于起始日", "the term ends before it starts", "ends_on"))
    elif (ends_on - starts_on).days + 1 > max_days:
        problems.append(("finance.term_too_long", f"授权期限不能超过{max_days}天", f"the term is longer than {max_days} days",
                         "ends_on"))
    return problems
