"""Reading batches and rejected rows (归集批次、退回数据), scoped to who asks.

Two kinds of callers:

- a department system (API token): pass ``department``; it sees its own department's batches only;
- a console user: pass ``viewer``; credit-centre operators see every department, data providers their own
  department, anyone else nothing (the views answer 403 before asking).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department
from pubcredit.audit.models import AuditEvent
from pubcredit.ingest.choices import RejectionStatus
from pubcredit.ingest.models import Batch, RejectedRow
from pubcredit.records.models import CreditRecord, RecordVersion

_NOTHING = Q(pk__in=[])


def may_collect(user) -> bool:
    """Whether a console user may submit and follow batches: operators for any department, providers for theirs."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_city_operator(user):
        return True
    return getattr(user, "role", "") == Role.PROVIDER and bool(getattr(user, "department_id", None))


def submitting_departments(*, viewer) -> QuerySet[Department]:
    """The departments ``viewer`` may submit for: all for operators, their own for providers."""
    if is_city_operator(viewer):
        return Department.objects.order_by("code")
    if may_collect(viewer):
        return Department.objects.filter(pk=viewer.department_id)
    return Department.objects.none()


def _scope(*, viewer=None, department: Department | None = None) -> Q:
    if department is not None:
        return Q(department=department)
    if viewer is None or not may_collect(viewer):
        return _NOTHING
    if is_city_operator(viewer):
        return Q()
    return Q(department_id=viewer.department_id)


def batch_list(*, viewer=None, department: Department | None = None, class_code: str = "",
               of_department: Department | None = None) -> QuerySet[Batch]:
    """Batches, newest first. ``of_department`` narrows an operator's view to one department."""
    batches = Batch.objects.filter(_scope(viewer=viewer, department=department)).select_related("department")
    if class_code:
        batches = batches.filter(class_code=class_code)
    if of_department is not None:
        batches = batches.filter(department=of_department)
    return batches.order_by("-received_at", "-id")


def batch_get(*, pk: int, viewer=None, department: Department | None = None) -> Batch | None:
    """One batch if the caller may see it, else None (the edge answers 404 either way)."""
    return Batch.objects.filter(_scope(viewer=viewer, department=department)).select_related("department") \
        .filter(pk=pk).first()


def batch_rejections(*, batch: Batch) -> QuerySet[RejectedRow]:
    """Every row of ``batch`` that was rejected, in the provider's row order (whatever its status since)."""
    return RejectedRow.objects.filter(batch=batch).order_by("row_no", "id")


def rejection_list(*, viewer=None, department: Department | None = None, status: str | None = RejectionStatus.OPEN,
                   class_code: str = "", of_department: Department | None = None) -> QuerySet[RejectedRow]:
    """Rejected rows across batches, oldest batch first; ``status=None`` for every status."""
    rows = RejectedRow.objects.filter(_scope(viewer=viewer, department=department)) \
        .select_related("batch", "department")
    if status:
        rows = rows.filter(status=status)
    if class_code:
        rows = rows.filter(class_code=class_code)
    if of_department is not None:
        rows = rows.filter(department=of_department)
    return rows.order_by("batch_id", "row_no", "id")


def batch_records(*, batch: Batch) -> QuerySet[CreditRecord]:
    """Records that got a new version (created or updated) from ``batch``."""
    return (CreditRecord.objects.filter(versions__batch_ref=str(batch.pk)).select_related("subject", "department")
            .distinct().order_by("id"))


def record_by_decision(*, class_code: str, department: Department, decision_no: str) -> CreditRecord | None:
    """The department's record of a class with this decision number (to show an unchanged resubmission)."""
    return (CreditRecord.objects.filter(class_code=class_code, department=department, decision_no=decision_no)
            .select_related("subject").order_by("-updated_at").first())


def department_by_code(code: str) -> Department | None:
    return Department.objects.filter(code=code).first() if code else None


def better_class_for_file(*, path, filename: str, chosen: str) -> tuple[list[str], str] | None:
    """When the file's headers lack required columns of the ``chosen`` class but carry every required column of
    another class (a penalty file sent under 行政许可), that class: (the chosen class's missing labels, its code).

    Reads only the headers; None when the chosen class fits, the file is unreadable, or no other class fits."""
    from pubcredit.catalog.headers import map_headers
    from pubcredit.catalog.registry import all_classes, get_class
    from pubcredit.ingest.readers import open_source
    from pubcredit.rules.errors import DomainError

    def mapping(info_class):
        try:
            return map_headers(info_class, open_source(path, info_class, filename=filename).header)
        except DomainError:
            return None

    chosen_mapping = mapping(get_class(chosen))
    if chosen_mapping is None or chosen_mapping.ok:
        return None
    fitting = []
    for info_class in all_classes():
        if info_class.code == chosen:
            continue
        other = mapping(info_class)
        if other is not None and other.ok:
            fitting.append((len(other.columns), info_class.code))
    if not fitting:
        return None
    return [m.label_zh for m in chosen_mapping.missing_required], max(fitting)[1]


def chunk_event_of(version: RecordVersion) -> AuditEvent | None:
    """The audit event of the bulk-import chunk that wrote a record version (分块审计事件), found through the
    version's batch; None for versions written row by row (they have their own ``record.*`` events)."""
    if not version.batch_ref:
        return None
    for event in AuditEvent.objects.filter(action="record.import_chunk", object_type="batch",
                                           object_id=version.batch_ref).order_by("id"):
        span = event.data.get("versions")
        if span and span[0] <= version.pk <= span[1]:
            return event
    return None
