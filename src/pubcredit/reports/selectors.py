"""What a report says (报告内容): a JSON snapshot of the platform's data about one subject at issue time.

The snapshot is the report: the page and the PDF are rendered from it alone (``render.py``), so an issued report can
be rendered again with the same content whatever happens to the data later (a repair, a correction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from pubcredit.catalog.registry import all_classes, get_class, rulebook_version
from pubcredit.lists.choices import RemovalReasonChoice
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import is_list, spec_for
from pubcredit.disclosure import selectors as public
from pubcredit.publicity.choices import PublicityStateChoice
from pubcredit.publicity.models import PublicityState
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.repair.selectors import OBJECTION_MARK, records_under_objection
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject

REPAIRED = "已修复"
# 异议处理中: an accepted objection is being verified; the item stays in the report as it stays published (NDRC
# Order 36 art. 18, 19), marked as on the public site (repair.selectors.records_under_objection)
OBJECTION_NOTE = "标注“异议处理中”的信息，信用主体已提出异议申诉且认定单位已受理、正在核查；核查期间该信息照常公示和共享，核查结果以认定单位处理结果为准。"
# shown on the cover and in 基础信息, or as the row title: not repeated among a record's fields
SUBJECT_KEYS = ("subject_name", "subject_category", "subject_uscc", "id_type", "decision_no", "decision_date")

# 专项信用报告的四类来源 (发改财金〔2025〕565号): catalogue class (or the serious lists) and label; a class missing
# from the catalogue on the issue day is reported as unchecked, never as "no records"
SPECIAL_SOURCES = (
    ("admin_penalty", "行政处罚信息"),
    ("admin_compulsion", "行政强制信息"),
    ("serious_lists", "严重失信主体名单信息"),
    ("criminal_judgment", "刑事裁判（犯罪记录）信息"),
)



def _section_title(info) -> str:
    """A class's section title: 行政处罚 → 行政处罚信息; a name that already ends in 信息 keeps it once."""
    return info.name_zh if info.name_zh.endswith("信息") else f"{info.name_zh}信息"

def _date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _class_exists(code: str) -> bool:
    try:
        get_class(code)
    except DomainError:
        return False
    return True


def _record_rows(record: CreditRecord, *, detailed: bool) -> list[list[str]]:
    """Label/value rows of a record: the class's public fields, or (query version) every field but identity
    numbers."""
    try:
        info = get_class(record.class_code)
        specs = info.fields_by_key
    except DomainError:
        specs = {}
    keys = list(specs) if detailed else list(public.rulebook().policy.public_fields.get(record.class_code, ()))
    rows = [["决定文书号", record.decision_no], ["决定日期", _date(record.decision_date)],
            ["报送部门", record.department.name]]
    values = record.fields or {}
    for key in keys:
        spec = specs.get(key)
        if spec is None or spec.sensitive or key in SUBJECT_KEYS:
            continue
        if key == "legal_rep" and record.subject.kind == SubjectKind.NATURAL_PERSON:
            continue
        text = public._text(spec, values.get(key))
        if text and spec.type == "date" and text != "长期":
            try:
                text = _date(dt.date.fromisoformat(text[:10]))
            except ValueError:
                pass  # shown as received
        if text:
            rows.append([spec.label_zh, text])
    return rows


def _entry_item(entry: ListEntry, *, marks: list[str] | None = None) -> dict[str, Any]:
    spec = spec_for(entry.list_code, entry.decision_date)
    name = spec.name_zh if spec else entry.list_code
    rows = [["名单", name], ["认定文书号", entry.decision_no], ["认定单位", entry.identifying_unit],
            ["认定日期", _date(entry.decision_date)], ["列入日期", _date(entry.effective_date)],
            ["计划移出日期", _date(entry.planned_end) or "未定期限"], ["状态", entry.get_status_display()]]
    if entry.removed_on:
        rows.append(["移出", f"{_date(entry.removed_on)}（{entry.get_removal_reason_display()}）"])
    if entry.legal_basis:
        rows.append(["列入依据", entry.legal_basis])
    return {"title": f"{name}（{entry.decision_no}）", "rows": rows, "marks": marks or []}


def _marks(*, repaired: bool, under_objection: bool) -> list[str]:
    return [m for m, on in ((REPAIRED, repaired), (OBJECTION_MARK, under_objection)) if on]


def _under_objection(subject: Subject) -> set[int]:
    """The subject's records with an objection accepted and not yet decided (one query for the whole report)."""
    return records_under_objection(CreditRecord.objects.filter(subject=subject).values_list("id", flat=True))


def _objection_notes(sections: list[dict[str, Any]]) -> list[str]:
    return [OBJECTION_NOTE] if any(OBJECTION_MARK in i["marks"] for s in sections for i in s["items"]) else []


def subject_facts(subject: Subject) -> dict[str, Any]:
    """Basic information (基础信息): never a clear identity number, whatever the version."""
    facts = public.subject_facts(subject=subject)
    return {"name": facts["name"], "code": subject.display_code,
            "code_label": "统一社会信用代码" if subject.uscc else "证件号码（脱敏）", "kind": facts["kind"],
            "district": facts["district"], "legal_rep": facts["legal_rep"], "former_names": facts["former_names"]}


def summary_of(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"category": s["title"], "count": None if s.get("unchecked") else len(s["items"])} for s in sections]


def public_content(subject: Subject) -> dict[str, Any]:
    """The public version: exactly what the public site shows today (published records and list entries)."""
    sections = []
    records = public.subject_published_records(subject=subject, limit=10_000)
    by_class: dict[str, list] = {}
    for r in records:
        by_class.setdefault(r.class_code, []).append(r)
    classes = [c for c in all_classes() if c.public and not is_list(c.code)]
    for info in classes:
        items = [{"title": r.title, "marks": [m for m in (r.severity_label, r.objection_label) if m],
                  "rows": [["决定文书号", r.decision_no], ["决定日期", _date(r.decision_date)],
                           ["决定部门", r.department],
                           *([["公示截止", _date(r.publish_until)]] if r.publish_until else []),
                           *[[f.label, f.text] for f in r.fields if f.key not in ("subject_name", "subject_uscc")]]}
                 for r in by_class.get(info.code, [])]
        if items or info.code in public.ALWAYS_SHOWN:
            sections.append({"title": _section_title(info), "items": items, "empty": f"无公示的{_section_title(info)}。"})
    entries = public.subject_list_entries(subject=subject, limit=10_000)
    for kind, title in (("black", "失信名单（黑名单）信息"), ("red", "守信激励（红名单、荣誉）信息")):
        items = []
        for e in entries:
            if e.kind != kind:
                continue
            rows = [["名单", e.list_name], ["认定文书号", e.decision_no], ["认定单位", e.identifying_unit],
                    ["认定日期", _date(e.decision_date)], ["公示起", _date(e.publish_from)],
                    ["公示止", _date(e.publish_until) or "至移出"]]
            if e.legal_basis:
                rows.append(["列入依据", e.legal_basis])
            rows += [[f.label, f.text] for f in e.fields if f.key not in ("subject_name", "subject_uscc")]
            items.append({"title": f"{e.list_name}（{e.decision_no}）", "rows": rows, "marks": [e.objection_label] if e.under_objection else []})
        sections.append({"title": title, "items": items, "empty": f"无公示的{title}。"})
    return {"sections": sections, "summary": summary_of(sections), "content_notes": _objection_notes(sections),
            "scope": "本报告内容与信用网站对该主体的公示内容一致：依法公示期内的行政许可、行政处罚等信息，以及公示中的红黑名单信息。"}


def query_content(subject: Subject) -> dict[str, Any]:
    """The query version: every record the platform holds on the subject (revoked ones excepted) with all its
    fields but identity numbers, its publicity state, and every list entry including removed ones."""
    states = dict(PublicityState.objects.filter(subject=subject).values_list("record_id", "state"))
    labels = dict(PublicityStateChoice.choices)
    sections = []
    records = (CreditRecord.objects.filter(subject=subject, status=RecordStatus.ACTIVE)
               .select_related("department", "subject").order_by("-decision_date", "-id"))
    by_class: dict[str, list] = {}
    for r in records:
        if not is_list(r.class_code):
            by_class.setdefault(r.class_code, []).append(r)
    objected = _under_objection(subject)
    for info in all_classes():
        if is_list(info.code) or info.code not in by_class:
            continue
        items = []
        for r in by_class[info.code]:
            state = states.get(r.pk)
            marks = _marks(repaired=state == PublicityStateChoice.REPAIRED, under_objection=r.pk in objected)
            rows = _record_rows(r, detailed=True)
            if state:
                rows.append(["公示状态", labels.get(state, state)])
            items.append({"title": f"{info.name_zh}（{r.decision_no}）", "rows": rows, "marks": marks})
        sections.append({"title": _section_title(info), "items": items, "empty": ""})
    entries = ListEntry.objects.filter(subject=subject).order_by("kind", "-decision_date", "-id")
    for kind, title in (("black", "失信名单（黑名单）信息"), ("red", "守信激励（红名单、荣誉）信息")):
        items = [_entry_item(e, marks=_marks(repaired=e.removal_reason == RemovalReasonChoice.REPAIRED,
                                             under_objection=e.record_id in objected))
                 for e in entries if e.kind == kind]
        sections.append({"title": title, "items": items, "empty": f"无{title}。"})
    return {"sections": sections, "summary": summary_of(sections), "content_notes": _objection_notes(sections),
            "scope": "本报告为查询版：包含本平台归集的该主体全部有效信用记录（含已停止公示、已修复的记录）及全部名单记录。"
                     "证件号码一律脱敏。"}


def _special_fields(code: str) -> list[str]:
    """The fields a special report checks and shows for a record class: the class's public fields where the policy
    names them (行政处罚), otherwise every field but identity numbers (行政强制, 刑事裁判: not published, so no list)."""
    info = get_class(code)
    public_keys = public.rulebook().policy.public_fields.get(code)
    keys = ["decision_no", "decision_date", *(public_keys or [f.key for f in info.fields if f.key not in SUBJECT_KEYS])]
    return [info.fields_by_key[k].label_zh for k in keys if k in info.fields_by_key and
            not info.fields_by_key[k].sensitive]


def special_content(subject: Subject, *, period_from: dt.date, period_to: dt.date) -> dict[str, Any]:
    """专项信用报告（无违法违规记录证明版）: the four sources of 发改财金〔2025〕565号 within the period; a source the
    catalogue does not have is said to be unchecked, never "no records"."""
    sections, checked = [], []
    objected = _under_objection(subject)
    for code, title in SPECIAL_SOURCES:
        if code == "serious_lists":
            entries = [e for e in ListEntry.objects.filter(subject=subject, kind="black",
                                                            effective_date__lte=period_to)
                       .order_by("-decision_date", "-id")
                       if (spec := spec_for(e.list_code, e.decision_date)) is not None and spec.severity == "serious"
                       and (e.removed_on is None or e.removed_on > period_from)]
            items = [_entry_item(e, marks=_marks(repaired=e.removal_reason == RemovalReasonChoice.REPAIRED,
                                                 under_objection=e.record_id in objected)) for e in entries]
            fields = ["名单", "认定文书号", "认定单位", "认定日期", "列入日期", "计划移出日期", "移出日期及事由", "列入依据"]
            checked.append({"source": title, "checked": True, "count": len(items), "fields": fields})
            sections.append({"title": title, "items": items, "empty": "查询期间内无严重失信主体名单记录。"})
            continue
        if not _class_exists(code):
            checked.append({"source": title, "checked": False, "count": 0, "fields": []})
            sections.append({"title": title, "items": [], "unchecked": True, "empty": "本平台尚未归集此类信息（信息目录中暂无此信息类），"
                                                                   "本报告未核查，不作“无记录”证明。"})
            continue
        repaired = set(PublicityState.objects.filter(subject=subject, state=PublicityStateChoice.REPAIRED)
                       .values_list("record_id", flat=True))
        records = (CreditRecord.objects.filter(subject=subject, class_code=code, status=RecordStatus.ACTIVE,
                                               decision_date__gte=period_from, decision_date__lte=period_to)
                   .select_related("department", "subject").order_by("-decision_date", "-id"))
        detailed = not public.rulebook().policy.public_fields.get(code)  # not published: no public field list
        items = [{"title": f"{title[:-2]}（{r.decision_no}）", "rows": _record_rows(r, detailed=detailed),
                  "marks": _marks(repaired=r.pk in repaired, under_objection=r.pk in objected)} for r in records]
        checked.append({"source": title, "checked": True, "count": len(items), "fields": _special_fields(code)})
        sections.append({"title": title, "items": items, "empty": f"查询期间内无{title[:-2]}记录。"})
    return {"sections": sections, "summary": summary_of(sections), "checked_sources": checked,
            "content_notes": _objection_notes(sections),
            "scope": f"查询期间：{_date(period_from)}至{_date(period_to)}。依据《关于全面推行以专项信用报告替代有无违法违规记录证明"
                     "的通知》（发改财金〔2025〕565号），核查行政处罚、行政强制、严重失信主体名单、刑事裁判（犯罪记录）四类信息；"
                     "已修复的信息标注“已修复”。"}


EVALUATION_TITLE = "公共信用综合评价结果"
EVALUATION_NOTE = "综合评价结果仅供政府部门内部使用，不向社会公开，本身不作为失信惩戒的依据。"


def evaluation_section(subject: Subject) -> dict[str, Any]:
    """The subject's current comprehensive evaluation (公共信用综合评价) — only in reports a government department
    receives (``services.evaluation_visible``): results are internal to government (docs/evaluation.md)."""
    from pubcredit.evaluation.selectors import current_class

    if subject.kind == SubjectKind.NATURAL_PERSON:
        return {"title": EVALUATION_TITLE, "items": [], "empty": "自然人不参加公共信用综合评价。"}
    current = current_class(subject=subject)
    if current is None:
        return {"title": EVALUATION_TITLE, "items": [], "empty": "该主体尚无公共信用综合评价结果。"}
    rows = [["评价等级", current.grade], ["信用类别", current.class_name_zh], ["得分", f"{current.score:g}"],
            ["评价基准日", _date(current.as_of)], ["评价模型版本", current.scorecard_version], ["说明", EVALUATION_NOTE]]
    return {"title": EVALUATION_TITLE, "empty": "",
            "items": [{"title": f"{current.class_name_zh}（{current.grade}级）", "rows": rows, "marks": []}]}


def data_fingerprint(subject: Subject) -> str:
    """A hash of everything a report about the subject could show: it changes when a record, its publicity state,
    a list entry or an open objection changes, so the verify page can say a newer report would differ."""
    parts = [f"s:{subject.name}:{subject.updated_at.isoformat()}"]
    parts += [f"r:{pk}:{v}:{h}:{st}" for pk, v, h, st in CreditRecord.objects.filter(subject=subject)
              .order_by("id").values_list("id", "version", "content_hash", "status")]
    parts += [f"p:{rid}:{st}" for rid, st in PublicityState.objects.filter(subject=subject)
              .order_by("record_id").values_list("record_id", "state")]
    parts += [f"l:{pk}:{st}:{removed}" for pk, st, removed in ListEntry.objects.filter(subject=subject)
              .order_by("id").values_list("id", "status", "removed_on")]
    # records under an accepted objection (异议处理中): the mark comes with acceptance and goes with the decision.
    # Appended only when there are any, so a fingerprint taken before objections counted is unchanged without them
    parts += [f"o:{rid}" for rid in sorted(_under_objection(subject))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def current_rulebook_version() -> str:
    return rulebook_version()

