"""Every write of joint reward and punishment (联合奖惩): checks (应查必查) and their feedback (应惩必惩), batch
screenings, watches, and operators' versions of measures."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from pubcredit.accounts.models import Department, User
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.catalog.schema import InfoClass
from pubcredit.evaluation.selectors import current_class_of
from pubcredit.lists.rulebook import fact_specs
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.lists.services import subject_key
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.sanctions import (
    EntryFacts, GradeFacts, GradeHit, MeasureError, MeasureSet, Scenario, match, match_grade, validate_measure,
)
from pubcredit.sanctions.choices import CheckChannel, IdentifierKindChoice
from pubcredit.sanctions.models import Check, CheckBatch, CheckFeedback, CheckHit, MeasureVersion, Watch, WatchCursor
from pubcredit.sanctions.rulebook import measure_book, seed, short_version
from pubcredit.sanctions.selectors import check_facts
from pubcredit.subjects import crypto
from pubcredit.subjects.services import confirmed_identifiers

MAX_BATCH_ROWS = 5000
_REFERENCE_MAX = 200


class TokenRevoked(Exception):
    """The caller's API token was revoked after it was last verified: the check is neither answered nor kept."""


# --- input --------------------------------------------------------------------------------------------------------


def scenario_get(code: Any) -> Scenario:
    """A checkable scenario, or 400 ``check.unknown_scenario`` naming the known ones."""
    scenarios = seed().scenarios
    found = scenarios.get(code) if isinstance(code, str) else None
    if found is None or not found.checkable:
        known = [c for c, s in scenarios.items() if s.checkable]
        raise DomainError("check.unknown_scenario", f"未知的业务场景：{code}（可用：{'、'.join(known)}）",
                          f"unknown scenario {code!r} (known: {', '.join(known)})", "scenario")
    return found


def subject_parse(subject: Any, *, field: str = "subject") -> tuple[str, str]:
    """``{"uscc": ...}`` or ``{"id_number": ...}`` → (kind, normalised value); anything else is a 400 naming the field.

    A code failing its checksum is refused unless an operator confirmed it (then it is checked like any other)."""
    if not isinstance(subject, dict):
        raise DomainError("check.subject_required", "subject 须为 {\"uscc\": …} 或 {\"id_number\": …}",
                          "subject must be {\"uscc\": …} or {\"id_number\": …}", field)
    given = {k: v for k, v in subject.items() if k in ("uscc", "id_number") and v not in (None, "")}
    extra = sorted(set(subject) - {"uscc", "id_number", "name"})
    if len(given) != 1 or extra:
        raise DomainError("check.subject_required", "subject 须且只须给出 uscc 或 id_number 之一",
                          "give exactly one of uscc or id_number in subject", field)
    kind, raw = next(iter(given.items()))
    if not isinstance(raw, str):
        raise DomainError("check.malformed_identifier", f"{kind} 须为字符串", f"{kind} must be a string", f"{field}.{kind}")
    name = f"{field}.{kind}"
    if kind == "uscc":
        result = identifiers.check_uscc(raw, field_name=name)
        if not result.ok and result.problems[0].code == "uscc.checksum":
            result = identifiers.check_uscc(raw, allowlist=confirmed_identifiers(), field_name=name)
    else:
        result = identifiers.check_resident_id(raw, today=clock.today(), field_name=name)
        if not result.ok and result.problems[0].code == "id.checksum":
            result = identifiers.check_resident_id(raw, allowlist=confirmed_identifiers(), today=clock.today(),
                                                   field_name=name)
    if not result.ok:
        first = result.problems[0]
        raise DomainError("check.malformed_identifier", f"{'统一社会信用代码' if kind == 'uscc' else '身份证号码'}有误："
                          f"{first.message_zh}", f"malformed {kind}: {first.message_en}", name,
                          [Problem(first.code, first.message_zh, first.message_en, name)])
    return kind, result.value


def _reference(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > _REFERENCE_MAX:
        raise DomainError("check.reference_too_long", f"业务编号不能超过{_REFERENCE_MAX}个字符",
                          f"reference is longer than {_REFERENCE_MAX} characters", "reference")
    return text


# --- checks -------------------------------------------------------------------------------------------------------


_names_cache: dict[tuple[str, dt.date], dict[str, tuple[str, str]]] = {}


def _list_names() -> dict[str, tuple[str, str]]:
    """``{list code: (name, black|red)}`` of the list rules in force today (cached per rulebook version and day)."""
    book, today = list_rulebook(), clock.today()
    key = (book.version, today)
    names = _names_cache.get(key)
    if names is None:
        names = {code: (book.get(code, today).name_zh, book.get(code, today).kind.value) for code in book.codes()}
        _names_cache.clear()
        _names_cache[key] = names
    return names


_CHECK_COLUMNS = ("check_id", "department_id", "channel", "actor_label", "batch_id", "batch_row", "scenario",
                  "reference", "identifier_kind", "subject_id", "subject_kind", "subject_code", "subject_name", "as_of",
                  "as_of_date", "rulebook_version", "hits", "hit_count", "measure_count", "feedback_required",
                  "feedback_complete", "explanation", "grade_hit")


@functools.cache
def _check_insert_sql(vendor: str) -> tuple[str, tuple]:
    fields = tuple(next(f for f in Check._meta.concrete_fields if f.attname == name) for name in _CHECK_COLUMNS)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(Check._meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {quote('id')}", fields


def _check_insert(check: Check) -> None:
    """``INSERT … RETURNING id`` of one check: the check API's hot path. Each value is prepared by its model field
    (``get_db_prep_save``: UUID, JSON, dates as the backend wants them), without compiling an ORM insert per request
    (that compilation cost as much CPU as the rest of the check; bench/checks)."""
    sql, fields = _check_insert_sql(connection.vendor)
    params = [f.get_db_prep_save(getattr(check, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        check.pk = cursor.fetchone()[0]
    check._state.adding, check._state.db = False, connection.alias


def _grade_hit(subject, *, scenario: Scenario, measures: MeasureSet, day: dt.date) -> GradeHit | None:
    """The measures the subject's evaluation grade (公共信用综合评价等级) triggers in the scenario. The class is read
    only when a measure of the scenario is triggered by a grade (one query more, off the hot path otherwise);
    natural persons are never graded, so they are never read."""
    if subject is None or subject.kind == "natural_person" or not measures.has_grade_measures(scenario.code):
        return None
    current = current_class_of(subject_id=subject.pk)
    if current is None:
        return None
    facts = GradeFacts(current.grade, current.class_code, current.as_of, current.scorecard_version, subject.kind)
    return match_grade(facts, scenario=scenario.code, measures=measures, on=day)


def _check_create(*, department: Department, kind: str, value: str, scenario: Scenario, reference: str, actor: Any,
                  channel: str, batch: CheckBatch | None = None, batch_row: int | None = None,
                  token_id: int | None = None) -> Check:
    """Answer and keep one check. Reads in one round trip (``check_facts``, which also verifies ``token_id``); writes
    one row, or, when entries were hit or a natural person was checked, the row, its hits and the audit event in one
    transaction."""
    now = clock.now()
    today = clock.today()
    person = kind == "id_number"
    key = {"id_hash": crypto.lookup_hash(value)} if person else {"uscc": value}
    facts = check_facts(**key, day=today, token_id=token_id)
    if not facts.token_active:
        raise TokenRevoked
    book = measure_book(facts.measure_revision)
    subject_kind = facts.subject.kind if facts.subject else None
    hits = match([EntryFacts(e.pk, e.list_code, e.effective_date, e.planned_end, subject_kind, e.facts)
                  for e in facts.entries], scenario=scenario.code, measures=book.measure_set, on=today)
    names = _list_names()
    by_id = {e.pk: e for e in facts.entries}
    answer = []
    for hit in hits:
        entry = by_id[hit.entry_id]
        name, list_kind = names.get(hit.list_code, (hit.list_code, entry.kind))
        answer.append({**hit.as_dict(), "list_name": name, "list_kind": list_kind, "decision_no": entry.decision_no,
                       "identifying_unit": entry.identifying_unit})
    subject = facts.subject
    code = identifiers.mask_resident_id(value) if person else value
    grade = _grade_hit(subject, scenario=scenario, measures=book.measure_set, day=today)
    grade_answer = grade.as_dict() if grade is not None else None
    answered = [m for h in answer for m in h["measures"]] + (grade_answer["measures"] if grade_answer else [])
    measure_codes = {m["code"] for m in answered}
    # information-only measures (carried out by another authority) are shown, not reported on by this department
    to_report = {m["code"] for m in answered if not m["information"]}
    check = Check(
        check_id=uuid.uuid4(), department=department, channel=channel, actor_label=audit.actor_label(actor),
        batch=batch, batch_row=batch_row, scenario=scenario.code, reference=reference,
        identifier_kind=IdentifierKindChoice.ID_NUMBER if person else IdentifierKindChoice.USCC,
        subject_id=subject.pk if subject else None, subject_kind=subject.kind if subject else "", subject_code=code,
        subject_name=subject.name if subject else "", as_of=now, as_of_date=today, rulebook_version=book.version,
        hits=answer, hit_count=len(answer), measure_count=len(measure_codes), feedback_required=bool(to_report),
        feedback_complete=False, grade_hit=grade_answer,
        explanation=[{**hit.explanation(), "list_name": names.get(hit.list_code, (hit.list_code,))[0]} for hit in hits])
    if not facts.entries and not person:
        _check_insert(check)  # one statement: atomic by itself
        return check
    with transaction.atomic():
        _check_insert(check)
        if facts.entries:
            CheckHit.objects.bulk_create([CheckHit(check_row=check, entry_id=e.pk, list_code=e.list_code)
                                          for e in facts.entries])
        if person:
            # 自然人信息查询留痕: who checked whom, for which business, and what the platform answered
            audit.record(Event.CHECK_PERSON, actor=actor, object_type="subject", object_id=subject.pk if subject else "",
                         reason=f"联合奖惩核查（{scenario.name_zh}）{reference}".strip(),
                         rule_version=short_version(book.version),
                         data={"masked_id": code, "check_id": str(check.check_id), "scenario": scenario.code,
                               "reference": reference, "hits": len(answer), "found": subject is not None,
                               "rulebook_version": book.version})
    return check


def check_run(*, department: Department, subject: Any, scenario: Any, reference: Any = "", actor: Any,
              channel: str = CheckChannel.API, token_id: int | None = None) -> Check:
    """Check one subject before a business decision (应查必查): the lists it is on today and, per list, the measures
    the department applies in this scenario (mandatory first), with their legal basis.

    Unknown scenario → ``check.unknown_scenario``; malformed identifier → ``check.malformed_identifier`` (both 400,
    naming the field). A subject the platform does not know, or on no list, gets empty hits. Every check is kept
    (``Check``) with the rulebook version; checks of natural persons are audited.

    ``token_id``: the caller's API token when the check API has not yet verified on this call that it is unrevoked.
    The facts read verifies it (one round trip less on the hot path); a revoked token raises ``TokenRevoked`` before
    anything is kept.
    """
    found = scenario_get(scenario)
    kind, value = subject_parse(subject)
    return _check_create(department=department, kind=kind, value=value, scenario=found,
                         reference=_reference(reference), actor=actor, channel=channel, token_id=token_id)


@transaction.atomic
def check_feedback_record(*, check: Check, measure_code: Any, applied: Any, note: Any = "", actor: Any) -> CheckFeedback:
    """Record whether the department applied one measure of a check, and why (应惩必惩). Not applying needs a reason.
    A later feedback for the same measure corrects the earlier one (both kept)."""
    codes = {m["code"] for m in check.answered_measures()}
    if not isinstance(measure_code, str) or measure_code not in codes:
        listed = "、".join(sorted(codes)) or "（本次核查无适用措施）"
        raise DomainError("feedback.unknown_measure", f"该核查未涉及此措施：{measure_code}（可反馈：{listed}）",
                          f"measure {measure_code!r} was not in this check's answer", "measure_code")
    if not isinstance(applied, bool):
        raise DomainError("feedback.applied", "applied 须为 true 或 false", "applied must be true or false", "applied")
    note = "" if note is None else str(note).strip()
    if not applied and not note:
        raise DomainError("feedback.note_required", "未实施该措施的，须说明理由", "a reason is required when not applied",
                          "note")
    check = Check.objects.select_for_update().get(pk=check.pk)
    feedback = CheckFeedback.objects.create(check_row=check, measure_code=measure_code, applied=applied, note=note[:2000],
                                            actor_label=audit.actor_label(actor), created_at=clock.now())
    answered = set(check.feedback.values_list("measure_code", flat=True))
    required = {m["code"] for m in check.answered_measures() if not m.get("information")}
    complete = required <= answered
    if complete != check.feedback_complete:
        check.feedback_complete = complete
        check.save(update_fields=["feedback_complete"])
    audit.record(Event.CHECK_FEEDBACK, actor=actor, object_type="check", object_id=str(check.check_id),
                 after={"measure": measure_code, "applied": applied}, reason=note,
                 data={"measure_code": measure_code, "applied": applied, "complete": complete})
    return feedback


@transaction.atomic
def check_feedback_record_all(*, check: Check, answers: list[dict[str, Any]], actor: Any) -> list[CheckFeedback]:
    """Record feedback for several measures of a check in one submission (应惩必惩, one form for the whole check).

    Each answer (``measure_code``, ``applied``, ``note``) goes through ``check_feedback_record``, so each is checked
    and audited exactly as one posted alone. All or nothing: if any answer is refused, none is kept, and the error
    lists every refused answer with the measure's Chinese name, its field as ``measures.<code>.<field>``."""
    if not answers:
        raise DomainError("feedback.no_answers", "没有需要反馈的措施", "no measure to report on", "measures")
    names = {m["code"]: m["name"] for m in check.answered_measures()}
    problems: list[Problem] = []
    recorded: list[CheckFeedback] = []
    for answer in answers:
        code = answer.get("measure_code")
        try:
            # validation happens before any write, so a refusal leaves the transaction usable for the next answer
            recorded.append(check_feedback_record(check=check, measure_code=code, applied=answer.get("applied"),
                                                  note=answer.get("note", ""), actor=actor))
        except DomainError as exc:
            label = names.get(code, code) if isinstance(code, str) else code
            problems.extend(Problem(p.code, f"{label}：{p.message_zh}", f"measure {code}: {p.message_en}",
                                    f"measures.{code}.{p.field}" if p.field else f"measures.{code}")
                            for p in exc.problems)
    if problems:
        raise DomainError.from_problems(problems)  # rolls back the answers already recorded above
    return recorded


# --- batch screening ------------------------------------------------------------------------------------------------


@transaction.atomic
def check_batch_run(*, department: Department, scenario: Any, items: Any, actor: Any,
                    channel: str = CheckChannel.API, filename: str = "") -> CheckBatch:
    """Screen a department's case list (批量核查): one check per item ``{"subject": {...}, "reference": ...}``.

    An unknown scenario refuses the whole batch; a row with a malformed identifier is reported in ``errors`` (row
    number, code, message) and the others are checked."""
    found = scenario_get(scenario)
    if not isinstance(items, list) or not items:
        raise DomainError("check.batch_empty", "items 须为非空数组", "items must be a non-empty list", "items")
    if len(items) > MAX_BATCH_ROWS:
        raise DomainError("check.batch_too_large", f"一次最多核查{MAX_BATCH_ROWS}行", f"at most {MAX_BATCH_ROWS} rows",
                          "items")
    batch = CheckBatch.objects.create(department=department, scenario=found.code, filename=filename[:255],
                                      channel=channel, actor_label=audit.actor_label(actor), total=len(items),
                                      created_at=clock.now())
    errors, hit_subjects, checked = [], set(), 0
    for row, item in enumerate(items, start=1):
        reference = ""
        try:
            if not isinstance(item, dict):
                raise DomainError("check.item", "每一行须为对象", "each item must be an object", "items")
            reference = _reference(item.get("reference"))
            kind, value = subject_parse(item.get("subject"))
        except DomainError as exc:
            errors.append({"row": row, "code": exc.problems[0].code if exc.code == "check.malformed_identifier" else exc.code,
                           "field": exc.field, "message": exc.message_zh, "reference": reference})
            continue
        check = _check_create(department=department, kind=kind, value=value, scenario=found, reference=reference,
                              actor=actor, channel=CheckChannel.BATCH, batch=batch, batch_row=row)
        checked += 1
        if check.hit_count:
            hit_subjects.add(check.subject_id)
    batch.checked, batch.hit_subjects, batch.errors = checked, len(hit_subjects), errors
    batch.save(update_fields=["checked", "hit_subjects", "errors"])
    audit.record(Event.CHECK_BATCH, actor=actor, object_type="check_batch", object_id=batch.pk,
                 data={"scenario": found.code, "total": batch.total, "checked": checked, "hits": len(hit_subjects),
                       "errors": len(errors), "filename": batch.filename})
    return batch


# The screening file's columns: a small information class so that the collection readers find the header row and
# accept the usual spellings. Not a catalogue class (it is never stored as credit information).
SCREENING_CLASS = InfoClass.model_validate({
    "code": "check_screening", "name_zh": "批量核查名单", "nature": "neutral",
    "subject_types": ["legal_person", "natural_person"], "business_key": ["reference"], "version": "2026.1",
    "effective_from": "2020-01-01",
    "fields": [
        {"key": "subject_name", "label_zh": "主体名称", "type": "string",
         "aliases": ["名称", "企业名称", "单位名称", "姓名", "供应商名称", "投标人名称", "申请人名称"]},
        {"key": "uscc", "label_zh": "统一社会信用代码", "type": "string", "aliases": ["信用代码", "社会信用代码"]},
        {"key": "id_number", "label_zh": "身份证号码", "type": "string",
         "aliases": ["身份证号", "证件号码", "公民身份号码"]},
        {"key": "reference", "label_zh": "业务编号", "type": "string",
         "aliases": ["案号", "项目编号", "采购项目编号", "申请编号", "编号", "备注"]},
    ],
})


def screening_items_from_file(path: Path | str, *, filename: str | None = None) -> list[dict[str, Any]]:
    """Read a screening file (CSV in UTF-8/GB18030, or XLSX) into check items; the header row is found among the
    first rows, title rows above it are skipped."""
    from pubcredit.catalog.headers import match_header
    from pubcredit.ingest.readers import open_source

    source = open_source(Path(path), SCREENING_CLASS, filename=filename)
    columns = [match_header(SCREENING_CLASS, h) if h else None for h in source.header]
    if "uscc" not in columns and "id_number" not in columns:
        raise DomainError("check.file_columns", "文件须有“统一社会信用代码”或“身份证号码”列",
                          "the file needs a USCC or an ID number column", "file")
    items = []
    for cells in source.rows:
        row = {key: (cells[i] if i < len(cells) else None) for i, key in enumerate(columns) if key}
        if not any((row.get(k) or "").strip() for k in ("uscc", "id_number", "subject_name", "reference")):
            continue
        subject = {k: row[k].strip() for k in ("uscc", "id_number") if (row.get(k) or "").strip()}
        items.append({"subject": subject, "reference": (row.get("reference") or "").strip(),
                      "name": (row.get("subject_name") or "").strip()})
        if len(items) > MAX_BATCH_ROWS:
            break
    return items


# --- watches --------------------------------------------------------------------------------------------------------


@transaction.atomic
def watch_add(*, department: Department, subject: Any, label: str = "", actor: Any) -> Watch:
    """Follow a subject (关注): the department is told when it enters or leaves a list. Idempotent."""
    kind, value = subject_parse(subject)
    person = kind == "id_number"
    key = subject_key(None, crypto.lookup_hash(value)) if person else subject_key(value, None)
    existing = Watch.objects.filter(department=department, subject_key=key, active=True).first()
    if existing is not None:
        return existing
    code = identifiers.mask_resident_id(value) if person else value
    watch = Watch.objects.create(department=department, subject_key=key, subject_code=code, label=(label or "")[:200],
                                 actor_label=audit.actor_label(actor), created_at=clock.now())
    audit.record(Event.WATCH_ADDED, actor=actor, object_type="watch", object_id=watch.pk,
                 after={"subject": code, "department": department.code})
    return watch


@transaction.atomic
def watch_remove(*, watch: Watch, actor: Any) -> Watch:
    if not watch.active:
        return watch
    watch.active, watch.ended_at = False, clock.now()
    watch.save(update_fields=["active", "ended_at"])
    audit.record(Event.WATCH_REMOVED, actor=actor, object_type="watch", object_id=watch.pk,
                 before={"subject": watch.subject_code, "active": True}, after={"active": False})
    return watch


@transaction.atomic
def watch_inbox_mark_read(*, department: Department, up_to: int) -> WatchCursor:
    """Mark the department's watch notifications read up to a change id (bookkeeping, not audited)."""
    cursor, _ = WatchCursor.objects.select_for_update().get_or_create(department=department,
                                                                      defaults={"updated_at": clock.now()})
    if up_to > cursor.read_cursor:
        cursor.read_cursor, cursor.updated_at = up_to, clock.now()
        cursor.save(update_fields=["read_cursor", "updated_at"])
    return cursor


# --- measures -------------------------------------------------------------------------------------------------------


@transaction.atomic
def measure_save(*, data: dict[str, Any], reason: str, actor: Any) -> MeasureVersion:
    """Save an operator's version of a measure (new or changed) over the seed. It is checked like the seed: a
    punishment without a legal basis (instrument and article) cannot be saved (国办发〔2020〕49号)."""
    if not (reason or "").strip():
        raise DomainError("measure.reason_required", "须说明修改理由（如新文件、条款变更）", "a reason is required", "reason")
    code = data.get("code")
    number = (MeasureVersion.objects.filter(code=code).aggregate(n=Max("number"))["n"] or 0) + 1
    payload = {**data, "version": f"ops.{number}", "verification": "OPERATOR"}
    try:
        measure = validate_measure(payload, scenarios=seed().scenarios, lists=list_rulebook().codes(),
                                   list_facts=fact_specs())
    except MeasureError as exc:
        raise DomainError.from_problems(exc.problems) from None
    book = measure_book()
    before = book.current(measure.code, clock.today())
    version = MeasureVersion.objects.create(
        code=measure.code, number=number, kind=measure.kind, data=measure.as_data(), reason=reason.strip(),
        actor_label=audit.actor_label(actor), created_by=actor if isinstance(actor, User) else None,
        created_at=clock.now())
    audit.record(Event.MEASURE_SAVED, actor=actor, object_type="measure", object_id=measure.code,
                 before=before.as_data() if before else None, after=measure.as_data(), reason=reason.strip(),
                 rule_version=f"{measure.code}@{measure.version}"[:64],
                 data={"number": number, "kind": measure.kind, "legal_basis": measure.legal_basis_text()})
    return version
