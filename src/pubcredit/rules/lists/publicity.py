"""名单公示: how long a list entry is shown and to whom (:func:`entry_publicity`). Part of ``rules.lists``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pubcredit.rules.lists.rulebook import ListSpec
from pubcredit.rules.lists.states import ListKind, RemovalReason
from pubcredit.rules.lists.terms import REMOVAL_LABELS


# --- publicity (名单公示) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryPublicity:
    """Whether the public site shows a list entry, and over which window (both ends inclusive).

    ``published`` is the rules' verdict for this list and this kind of subject; ``publish_from`` is None when the
    window is empty (removed or over before the platform received it). ``publish_until`` None: no end while the
    entry stays on the list.
    """

    published: bool
    publish_from: dt.date | None
    publish_until: dt.date | None
    reason_zh: str
    reason_en: str
    rule_version: str
    severity: str | None = None  # serious / minor (black lists); None for red lists
    ended_by: RemovalReason | None = None

    def shown_on(self, day: dt.date) -> bool:
        return (self.published and self.publish_from is not None and self.publish_from <= day
                and (self.publish_until is None or day <= self.publish_until))


def entry_publicity(spec: ListSpec, *, subject_kind: str, effective: dt.date, received_on: dt.date,
                    planned_end: dt.date | None, removed_on: dt.date | None = None,
                    removal_reason: RemovalReason | str | None = None) -> EntryPublicity:
    """名单公示: an entry of a published list is shown from the later of its effective date and its receipt by the
    platform, until its last day in force (``planned_end``; no end when it has none), and stops at once when it is
    removed (expired, repaired, revoked, deleted by the court): its last day shown is the day before ``removed_on``.

    Lists without a ``publicity`` block, lists not published, and natural persons on lists that do not publish
    persons are not shown at all (the list file's ``publicity`` block says which, with its sources).
    """
    severity = spec.severity if spec.kind == ListKind.BLACK else None
    ended_by = RemovalReason(removal_reason) if removed_on is not None and removal_reason else None

    def out(published: bool, start: dt.date | None, until: dt.date | None, zh: str, en: str) -> EntryPublicity:
        return EntryPublicity(published, start, until, zh, en, spec.rule_version, severity, ended_by)

    rule = spec.publicity
    if rule is None:
        return out(False, None, None, f"{spec.name_zh}的公示规则尚未配置（名单规则文件 publicity），暂不公示。",
                   f"no publicity rule configured for list {spec.code}: not published.")
    if not rule.published:
        return out(False, None, None, f"{spec.name_zh}不向社会公示（{rule.basis}）。",
                   f"list {spec.code} is not published ({rule.basis}).")
    if subject_kind == "natural_person" and not rule.persons_published:
        return out(False, None, None, f"涉及自然人的{spec.name_zh}信息不予公示（{rule.natural_persons_basis}）。",
                   f"natural persons on {spec.code} are not published ({rule.natural_persons_basis}).")
    start = max(effective, received_on)
    until = planned_end
    zh = [f"{spec.name_zh}依法公示（{rule.basis}）",
          f"自{start.isoformat()}起公示（生效日期{effective.isoformat()}与平台归集日期{received_on.isoformat()}之较晚者）"]
    en = [f"list {spec.code} is published ({rule.basis})",
          f"shown from {start.isoformat()} (later of effective {effective.isoformat()} and receipt "
          f"{received_on.isoformat()})"]
    if removed_on is not None:
        last = removed_on - dt.timedelta(days=1)
        until = last if until is None else min(until, last)
        label = REMOVAL_LABELS.get(ended_by, "移出") if ended_by else "移出"
        zh.append(f"{removed_on.isoformat()}{label}，自移出之日起停止公示")
        en.append(f"removed on {removed_on.isoformat()} ({ended_by or 'removed'}): not shown from that day")
    elif until is not None:
        zh.append(f"至计划移出日期{until.isoformat()}止")
        en.append(f"until its last day in force {until.isoformat()}")
    else:
        zh.append("无固定期限，至移出之日止")
        en.append("no fixed end: until removed")
    if until is not None and until < start:
        zh.append("公示期间在归集前已经结束，不予展示")
        en.append("the window ended before the platform received it: never shown")
        return out(True, None, until, "；".join(zh) + "。", "; ".join(en) + ".")
    return out(True, start, until, "；".join(zh) + "。", "; ".join(en) + ".")
