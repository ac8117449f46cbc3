"""Reading credit subjects. Reads of natural persons' data are audited here, where they happen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from pubcredit.accounts.access import may_search_by_id_number, may_view_person, subject_scope
from pubcredit.rules import identifiers
from pubcredit.subjects import crypto
from pubcredit.subjects.models import Subject
from pubcredit.subjects.services import person_read_log

SEARCH_LIMIT = 50


def subject_search(*, viewer, query: str, limit: int = SEARCH_LIMIT) -> list[Subject]:
    """Staff lookup by USCC, identity number (authorised roles, audited) or name substring."""
    query = (query or "").strip()
    if not query:
        return []
    code = identifiers.normalise_code(query)
    # An 18-digit resident ID also fits the USCC pattern: a number valid as an ID is taken as one.
    looks_like_id = bool(identifiers.RID18_PATTERN.match(code) or identifiers.RID15_PATTERN.match(code))
    person_check = identifiers.check_resident_id(code) if looks_like_id else None
    if person_check is not None and (person_check.ok or not identifiers.USCC_PATTERN.match(code)):
        if not may_search_by_id_number(viewer):
            raise PermissionDenied("无权按证件号码查询自然人")
        subjects = list(_scoped(viewer).filter(id_hash=crypto.lookup_hash(person_check.value or code))[:1])
        for subject in subjects:
            person_read_log(subject=subject, viewer=viewer, purpose="按证件号码查询 (lookup by ID number)")
        return subjects
    if identifiers.USCC_PATTERN.match(code):
        return list(_scoped(viewer).filter(uscc=code)[:1])
    return list(_scoped(viewer).filter(name__icontains=query).select_related("district").order_by("name", "id")[:limit])


def _scoped(viewer):
    """Subjects the viewer may find: district operators their district's (``access.subject_scope``)."""
    scope = subject_scope(viewer)
    if scope is None:
        return Subject.objects.all()
    return Subject.objects.filter(pk__in=Subject.objects.filter(scope).values("pk"))


def subject_get(*, viewer, pk: int, purpose: str = "查看主体页面 (subject page)") -> Subject | None:
    subject = Subject.objects.select_related("district").filter(pk=pk).first()
    if subject is not None and subject.is_natural_person:
        if not may_view_person(viewer, subject):
            raise PermissionDenied("无权查看该自然人信息")
        person_read_log(subject=subject, viewer=viewer, purpose=purpose)
    elif subject is not None and subject_scope(viewer) is not None and not _scoped(viewer).filter(pk=pk).exists():
        return None  # another district's organisation: not found, as in a search
    return subject


def confirmed_identifier_list():
    from pubcredit.subjects.models import ConfirmedIdentifier

    return ConfirmedIdentifier.objects.select_related("confirmed_by").order_by("-confirmed_at")[:200]
