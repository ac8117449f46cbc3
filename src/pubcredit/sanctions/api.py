"""Check API for business systems (联合奖惩核查接口). Token auth: the token's department checks.

- ``POST /api/v1/checks``: check one subject in one scenario → the lists it is on and the measures that apply;
- ``GET /api/v1/checks/{check_id}``: replay what was answered, and why (entries and rulebook version then);
- ``POST /api/v1/checks/{check_id}/feedback``: per measure, applied or not and why;
- ``GET /api/v1/checks?awaiting_feedback=true``: the department's checks awaiting feedback;
- ``POST /api/v1/checks/batch`` (JSON) and ``POST /api/v1/checks/batch/file`` (CSV/XLSX): screen a case list;
  ``GET /api/v1/checks/batch/{id}`` and ``.../result?format=csv|xlsx``;
- ``/api/v1/watches``: follow subjects; ``GET /api/v1/watches/changes?since=N``: their list changes;
- ``GET /api/v1/measures``: the measure list in force (with legal bases).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import threading
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.responses import Status

from pubcredit.accounts.models import ApiToken
from pubcredit.api import DepartmentToken
from pubcredit.audit.services import SystemActor
from pubcredit.request_limits import human_size
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions import selectors, services
from pubcredit.sanctions.choices import CheckChannel
from pubcredit.sanctions.exports import batch_result_response

class CheckToken(DepartmentToken):
    """``DepartmentToken`` with a per-process memory of tokens it accepted, for the check API's hot path.

    Business systems call ``POST /api/v1/checks`` in every approval, procurement and funding workflow; the full
    token lookup (ORM, department join, hash compare) costs as much CPU as the rest of a check (bench/checks). An
    accepted token is remembered (keyed by its SHA-256, never the token itself), and each later call only asks the
    database whether that token is still unrevoked: one primary-key read. Revocation therefore holds from the next
    call, in every process.

    With ``defer_revocation`` (the check itself), that question is not asked here: the token's id is left on the
    request (``token_to_verify``) and the check's own facts read answers it in the same round trip; a revoked
    token is refused there, before anything is kept.
    """

    _memory: dict[str, Any] = {}
    _lock = threading.Lock()
    _STILL_ACTIVE = None  # the revocation query, built once per process from the model's table name

    def __init__(self, *, defer_revocation: bool = False):
        super().__init__()
        self.defer_revocation = defer_revocation

    @classmethod
    def still_active(cls, token_id: int) -> bool:
        if cls._STILL_ACTIVE is None:
            cls._STILL_ACTIVE = f"SELECT 1 FROM {ApiToken._meta.db_table} WHERE id = %s AND revoked_at IS NULL"
        with connection.cursor() as cursor:
            cursor.execute(cls._STILL_ACTIVE, [token_id])
            return cursor.fetchone() is not None

    def authenticate(self, request, token):
        key = hashlib.sha256((token or "").encode()).hexdigest()
        api_token = self._memory.get(key)
        if api_token is not None:
            if self.defer_revocation:
                request.token_to_verify = api_token.pk
            elif not self.still_active(api_token.pk):
                self.forget(api_token.pk)
                return None
            request.api_token, request.department = api_token, api_token.department
            request.actor = SystemActor(f"token:{api_token.department.code}:{api_token.prefix}",
                                        api_token.department.code)
            return api_token
        api_token = super().authenticate(request, token)
        if api_token is not None:
            with self._lock:
                if len(self._memory) > 10_000:
                    self._memory.clear()
                self._memory[key] = api_token
        return api_token

    @classmethod
    def forget(cls, token_id: int | None = None) -> None:
        """Forget one remembered token (by id), or all of them."""
        with cls._lock:
            if token_id is None:
                cls._memory.clear()
            else:
                for key in [k for k, t in cls._memory.items() if t.pk == token_id]:
                    del cls._memory[key]


router = Router(tags=["checks (联合奖惩核查)"], auth=CheckToken())
watch_router = Router(tags=["watches (关注主体)"], auth=DepartmentToken())
measure_router = Router(tags=["measures (联合奖惩措施清单)"], auth=DepartmentToken())

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class CheckIn(Schema):
    subject: dict[str, Any] | None = None  # {"uscc": "9137…"} or {"id_number": "3703…"}
    scenario: str | None = None
    reference: str | None = ""  # the caller's case number (业务编号)


class MeasureOut(Schema):
    code: str
    name: str
    kind: Literal["punish", "reward"]
    mandatory: bool  # binding on the checking department: force M, applies "yes", carried out by the department
    force: str  # M mandatory · D discretionary · C conditional on the department's own law
    legal_basis: str
    implementing: list[str]
    version: str
    applies: Literal["yes", "verify"] = "yes"  # verify: a fact that decides its condition is missing; never mandatory
    condition_zh: str = ""  # the measure's condition in words ("" = applies to every entry of the list)
    note: str = ""  # the measure's note (note_zh)
    implemented_by: str = "checking_department"  # or registration_authority | market_regulator | tax_authority | court
    information: bool = False  # carried out only by that authority: information for the checking department


class HitOut(Schema):
    list_code: str
    list_name: str
    list_kind: str  # black | red
    entry_id: int
    decision_no: str
    identifying_unit: str
    since: dt.date
    until: dt.date | None  # last day in force; null: no fixed term
    measures: list[MeasureOut]


class SubjectOut(Schema):
    found: bool  # false: the platform holds no information on this subject
    kind: str | None
    name: str | None
    code: str  # USCC, or the masked identity number


class CheckOut(Schema):
    check_id: str
    subject: SubjectOut
    scenario: str
    reference: str
    as_of: dt.datetime
    rulebook_version: str
    hits: list[HitOut]


class FeedbackIn(Schema):
    measure_code: str | None = None
    applied: bool | None = None
    note: str | None = ""


class FeedbackOut(Schema):
    check_id: str
    measure_code: str
    applied: bool
    note: str
    recorded_at: dt.datetime
    feedback_complete: bool


class ReplayEntryOut(Schema):
    entry_id: int
    list_code: str
    decision_no: str
    identifying_unit: str
    since: dt.date
    until: dt.date | None
    status_now: str
    removal_reason: str | None
    removed_on: dt.date | None
    removed_at: dt.datetime | None
    rule_version: str
    answered: bool


class FeedbackItemOut(Schema):
    measure_code: str
    applied: bool
    note: str
    by: str
    at: dt.datetime


class ClauseOut(Schema):
    clause_zh: str
    holds: bool | None  # null: the fact was missing
    outcome_zh: str  # 满足 / 不满足 / 事实缺失，待核实
    fact: str | None
    value: Any = None


class MeasureDecisionOut(Schema):
    code: str
    name: str = ""
    version: str
    applies: Literal["yes", "verify", "no"]  # no: left out of the answer
    applies_zh: str
    condition_zh: str
    decided_by: list[ClauseOut]  # the clauses that decided it (for "no": the one that failed)


class EntryConditionsOut(Schema):
    entry_id: int
    list_code: str
    list_name: str = ""
    measures: list[MeasureDecisionOut]  # every measure of the list in the scenario, in force that day


class ExplanationOut(Schema):
    entries_in_force: list[ReplayEntryOut]  # as they stood at the check, with what happened to them since
    measures: list[dict]  # the measures answered, as the measure list held them then
    conditions: list[EntryConditionsOut] = []  # per hit, which condition decided each measure (checks since issue 11)
    consistent: bool


class ReplayOut(CheckOut):
    feedback: list[FeedbackItemOut]
    feedback_complete: bool
    explanation: ExplanationOut


class CheckSummaryOut(Schema):
    check_id: str
    scenario: str
    reference: str
    subject_code: str
    subject_name: str
    as_of: dt.datetime
    hit_count: int
    measure_count: int
    feedback_complete: bool


class BatchItemIn(Schema):
    subject: dict[str, Any] | None = None
    reference: str | None = ""


class BatchIn(Schema):
    scenario: str | None = None
    items: list[BatchItemIn]


class BatchErrorOut(Schema):
    code: str
    field: str | None
    message: str


class BatchRowOut(Schema):
    row: int
    reference: str
    check_id: str | None
    subject: SubjectOut | None
    hits: list[HitOut]
    error: BatchErrorOut | None


class CheckBatchLinksOut(Schema):
    self: str
    result_csv: str
    result_xlsx: str


class CheckBatchOut(Schema):
    batch_id: int
    scenario: str
    total: int
    checked: int
    hit_subjects: int
    created_at: dt.datetime
    rows: list[BatchRowOut]
    links: CheckBatchLinksOut


class ResultQuery(Schema):
    format: Literal["csv", "xlsx"] = "csv"


class ListQuery(Schema):
    awaiting_feedback: bool = False
    limit: int = 200


def _check_or_404(request, check_id: str):
    check = selectors.check_for_department(department=request.department, check_id=check_id)
    if check is None:
        raise Http404("check not found")
    return check


def _batch_out(batch) -> dict:
    base = reverse("api:check_batch", kwargs={"batch_id": batch.pk})
    return {"batch_id": batch.pk, "scenario": batch.scenario, "total": batch.total, "checked": batch.checked,
            "hit_subjects": batch.hit_subjects, "created_at": batch.created_at, "rows": selectors.batch_rows(batch),
            "links": {"self": base, "result_csv": f"{base}/result?format=csv", "result_xlsx": f"{base}/result?format=xlsx"}}


@router.post("", response=CheckOut, url_name="checks", auth=CheckToken(defer_revocation=True))
def check_create(request, body: CheckIn):
    """Check one subject before a business decision (应查必查). ``subject`` is ``{"uscc": …}`` or ``{"id_number": …}``;
    ``scenario`` one of government_procurement, bidding, administrative_approval, fiscal_funding, honors,
    market_access, qualification_review, financing, supervision. Unknown scenario (``check.unknown_scenario``) or
    malformed identifier (``check.malformed_identifier``) → 400 naming the field. A clean subject gets ``hits: []``.
    Each hit lists the measures for that list in this scenario whose conditions hold (``applies: yes``) or cannot be
    decided on the facts held (``applies: verify``, never mandatory), mandatory first, with the legal basis, the
    condition in words (``condition_zh``) and the note; measures whose condition fails are left out (the replay
    says why)."""
    token_id = getattr(request, "token_to_verify", None)
    try:
        check = services.check_run(department=request.department, subject=body.subject, scenario=body.scenario,
                                   reference=body.reference, actor=request.actor, channel=CheckChannel.API,
                                   token_id=token_id)
    except services.TokenRevoked:
        CheckToken.forget(token_id)
        raise AuthenticationError from None
    except DomainError:
        # refused before the facts read: a revoked token still hears 401, not what was wrong with its request
        if token_id is not None and not CheckToken.still_active(token_id):
            CheckToken.forget(token_id)
            raise AuthenticationError from None
        raise
    return selectors.check_answer(check)


@router.get("", response=list[CheckSummaryOut], url_name="check_list")
def check_list(request, query: Query[ListQuery]):
    """The department's recent checks (``awaiting_feedback=true``: those with measures not yet reported on)."""
    qs = (selectors.awaiting_feedback(department=request.department) if query.awaiting_feedback
          else selectors.checks_for_department(department=request.department))
    return [{"check_id": str(c.check_id), "scenario": c.scenario, "reference": c.reference,
             "subject_code": c.subject_code, "subject_name": c.subject_name, "as_of": c.as_of,
             "hit_count": c.hit_count, "measure_count": c.measure_count, "feedback_complete": c.feedback_complete}
            for c in qs[:max(1, min(query.limit, 1000))]]


@router.post("/batch", response=CheckBatchOut, url_name="check_batches")
def batch_create(request, body: BatchIn):
    """Screen a case list (批量核查): one check per item; rows with a malformed identifier are reported, the others
    checked. At most 5000 items; the result is also downloadable as CSV or XLSX."""
    batch = services.check_batch_run(department=request.department, scenario=body.scenario,
                                     items=[i.dict() for i in body.items], actor=request.actor)
    return _batch_out(batch)


@router.post("/batch/file", response=CheckBatchOut, url_name="check_batch_file")
def batch_upload(request, scenario: Form[str], file: File[UploadedFile]):
    """The same from a file (multipart ``file`` and ``scenario``): CSV (UTF-8 or GB18030) or XLSX with a column
    统一社会信用代码 and/or 身份证号码, optionally 主体名称 and 业务编号 (案号/项目编号)."""
    services.scenario_get(scenario)
    if file.size and file.size > min(MAX_UPLOAD_BYTES, settings.PUBCREDIT_UPLOAD_MAX_BYTES):
        limit = human_size(min(MAX_UPLOAD_BYTES, settings.PUBCREDIT_UPLOAD_MAX_BYTES))
        raise DomainError("check.file_too_large", f"文件过大（上限{limit}）：请拆分后分批核查",
                          f"file too large (limit {limit})", "file")
    suffix = Path(file.name or "upload.csv").suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in file.chunks():
            tmp.write(chunk)
        tmp.flush()
        items = services.screening_items_from_file(tmp.name, filename=file.name)
    batch = services.check_batch_run(department=request.department, scenario=scenario, items=items,
                                     actor=request.actor, filename=file.name or "")
    return _batch_out(batch)


@router.get("/batch/{int:batch_id}", response=CheckBatchOut, url_name="check_batch")
def batch_read(request, batch_id: int):
    batch = selectors.batch_for_department(department=request.department, batch_id=batch_id)
    if batch is None:
        raise Http404("batch not found")
    return _batch_out(batch)


@router.get("/batch/{int:batch_id}/result", url_name="check_batch_result")
def batch_result(request, batch_id: int, query: Query[ResultQuery]):
    """The batch result as a file (``format=csv`` or ``xlsx``)."""
    batch = selectors.batch_for_department(department=request.department, batch_id=batch_id)
    if batch is None:
        raise Http404("batch not found")
    return batch_result_response(batch, query.format)


@router.get("/{check_id}", response=ReplayOut, url_name="check")
def check_read(request, check_id: str):
    """Replay a check: what was answered, the entries the platform held in force at that moment (and what happened
    to them since: a later removal does not change the answer), the measures as they stood, and the feedback."""
    check = _check_or_404(request, check_id)
    replay = selectors.check_replay(check)
    return {**replay.answer, "feedback": replay.feedback, "feedback_complete": check.feedback_complete,
            "explanation": {"entries_in_force": replay.entries, "measures": replay.measures,
                            "conditions": check.explanation or [], "consistent": replay.consistent}}


@router.post("/{check_id}/feedback", response=FeedbackOut, url_name="check_feedback")
def check_feedback(request, check_id: str, body: FeedbackIn):
    """Record, for one measure of the check, whether it was applied and why (应惩必惩). ``note`` is required when
    ``applied`` is false. Posting again for the same measure corrects the earlier feedback."""
    check = _check_or_404(request, check_id)
    feedback = services.check_feedback_record(check=check, measure_code=body.measure_code, applied=body.applied,
                                              note=body.note, actor=request.actor)
    check.refresh_from_db(fields=["feedback_complete"])
    return {"check_id": str(check.check_id), "measure_code": feedback.measure_code, "applied": feedback.applied,
            "note": feedback.note, "recorded_at": feedback.created_at, "feedback_complete": check.feedback_complete}


# --- watches -----------------------------------------------------------------------------------------------------------


class WatchIn(Schema):
    subject: dict[str, Any] | None = None
    label: str | None = ""


class WatchOut(Schema):
    id: int
    subject_code: str
    label: str
    created_at: dt.datetime


class WatchChangesQuery(Schema):
    since: int = 0
    limit: int = 500


class WatchChangeOut(Schema):
    cursor: int
    change: str  # entered | left | updated
    list_code: str
    list_kind: str
    entry_id: int
    subject_code: str
    subject_name: str
    reason: str | None  # removal reason for "left"
    effective_on: dt.date
    changed_at: dt.datetime


class WatchChangesOut(Schema):
    since: int
    next_cursor: int
    head: int
    changes: list[WatchChangeOut]


@watch_router.post("", response=WatchOut, url_name="watches")
def watch_create(request, body: WatchIn):
    """Follow a subject (关注): ``{"subject": {"uscc": …} | {"id_number": …}, "label": "…"}``. Idempotent."""
    watch = services.watch_add(department=request.department, subject=body.subject, label=body.label or "",
                               actor=request.actor)
    return watch


@watch_router.get("", response=list[WatchOut], url_name="watch_list")
def watch_index(request):
    return list(selectors.watch_list(department=request.department)[:5000])


@watch_router.api_operation(["DELETE"], "/{int:watch_id}", response={204: None}, url_name="watch")
def watch_delete(request, watch_id: int):
    watch = selectors.watch_list(department=request.department).filter(pk=watch_id).first()
    if watch is None:
        raise Http404("watch not found")
    services.watch_remove(watch=watch, actor=request.actor)
    return Status(204, None)


@watch_router.get("/changes", response=WatchChangesOut, url_name="watch_changes")
def watch_changes(request, query: Query[WatchChangesQuery]):
    """List changes of the department's watched subjects after ``since`` (oldest first): entered, left (with the
    removal reason) or term changed. Send ``next_cursor`` as ``since`` next time."""
    items = selectors.watch_changes(department=request.department, since=query.since, limit=query.limit)
    return {"since": query.since, "next_cursor": items[-1].id if items else max(query.since, 0),
            "head": selectors.watch_feed_head(),
            "changes": [{"cursor": c.id, "change": c.change, "list_code": c.list_code, "list_kind": c.kind,
                         "entry_id": c.entry_id, "subject_code": c.subject.display_code, "subject_name": c.subject.name,
                         "reason": c.reason or None, "effective_on": c.effective_on, "changed_at": c.changed_at}
                        for c in items]}


# --- measures ----------------------------------------------------------------------------------------------------------


class MeasureQuery(Schema):
    list_code: str = ""
    scenario: str = ""
    kind: str = ""


class LegalBasisOut(Schema):
    instrument: str
    article: str


class MeasureListOut(Schema):
    code: str
    name_zh: str
    kind: str
    lists: list[str]
    grades: list[str]  # evaluation grades that trigger it (公共信用综合评价等级), [] for a list measure
    scenarios: list[str]
    implementing: list[str]
    implemented_by: str  # checking_department, or the only authority that carries it out
    force: str
    mandatory: bool  # force M; on an entry it binds only where its conditions hold and the department carries it out
    conditions: dict  # {subject_kinds, all, any, verify_zh}; {} = applies to every entry of its lists
    condition_zh: str
    legal_basis: list[LegalBasisOut]
    sources: list[str]
    verification: str
    note_zh: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    in_force: bool
    source: str  # seed | operator


@measure_router.get("", response=list[MeasureListOut], url_name="measures")
def measure_index(request, query: Query[MeasureQuery]):
    """The measure list (联合奖惩措施清单): every version with its legal basis and citation; ``in_force`` today."""
    return [{**row.measure.as_data(), "mandatory": row.measure.mandatory, "in_force": row.in_force, "source": row.source,
             "condition_zh": row.measure.condition_text()}
            for row in selectors.measure_rows(list_code=query.list_code, scenario=query.scenario, kind=query.kind)]
