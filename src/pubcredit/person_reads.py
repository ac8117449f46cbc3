"""Every staff read of a natural person's data is audited (自然人信息查阅留痕), wherever it is shown (issue 19 item 4).

Pages and API operations that show a natural person load the person's ``Subject`` row (or a ``Check``, which
keeps the person's name and masked number on its own row, or a change-feed entry, which carries the person's masked
code): the subject page, the record-versions page, the workbench home and name search, list entries, checks, check
batches, the change feed, commitments, repair cases, reports, the admin. Rather than trusting each of them (and every
page added later) to remember an audit call, :class:`StaffPersonReadAuditMiddleware` notes every natural person's
row instantiated while a staff request or a department token's API call is answered, and when the answer is a
success writes one ``subject.read_person`` event per person (actor, person, ``reason`` = the page), in bulk, after
the view. A streaming answer is followed to its end: rows loaded while its body is produced count too, and their
events are written once the body is complete (or broken off). Persons whose read the view already audited with its
own purpose (``subjects.services.person_read_log``: the subject page, an identity-number search; a check of a
person) are not written twice.

Not covered here: the public site and public API (public by law, item 3, docs/security.md), and person data read
without a model row (a ``values()`` query): the walk test (tests/audit/test_person_reads.py) visits every page and
operation that shows a person and checks the audit row.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_init
from django.http import FileResponse

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.publicity.models import ChangeFeedEntry
from pubcredit.records.models import CreditRecord
from pubcredit.sanctions.models import Check
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject

# paths answered to anyone, never as staff: no per-read audit (docs/security.md, "Reads never wait for imports")
PUBLIC_PREFIXES = ("/public/", "/api/v1/public/", "/static/", "/login/", "/logout/")
# the persons (subject ids) loaded during the current request, or None outside a staff request
_shown: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("person_reads_shown", default=None)
# the change-feed entries of persons (their record ids) loaded during the current request
_feed_records: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("person_reads_feed", default=None)


def _subject_loaded(sender, instance, **kwargs) -> None:
    shown = _shown.get()
    # ``kind`` deferred (``only()``) is not fetched here: that would be a query per row
    if shown is not None and instance.__dict__.get("kind") == SubjectKind.NATURAL_PERSON and instance.pk:
        shown.add(instance.pk)


def _check_loaded(sender, instance, **kwargs) -> None:
    """A check keeps the person's name and masked number on its own row (联合奖惩核查): showing it shows the person."""
    shown = _shown.get()
    if (shown is not None and instance.__dict__.get("subject_kind") == SubjectKind.NATURAL_PERSON
            and instance.__dict__.get("subject_id")):
        shown.add(instance.subject_id)


def _feed_entry_loaded(sender, instance, **kwargs) -> None:
    """A change-feed entry (公示变更流水) hands a department system the subject's code: a natural person's is the masked
    identity number (an organisation's is its USCC, never masked). Its record says which person; resolved in one query
    per request (:func:`_feed_persons`)."""
    records = _feed_records.get()
    if records is not None and "*" in instance.__dict__.get("subject_code", "") and instance.__dict__.get("record_id"):
        records.add(instance.record_id)


post_init.connect(_subject_loaded, sender=Subject, dispatch_uid="pubcredit.person_reads")
post_init.connect(_check_loaded, sender=Check, dispatch_uid="pubcredit.person_reads.check")
post_init.connect(_feed_entry_loaded, sender=ChangeFeedEntry, dispatch_uid="pubcredit.person_reads.feed")


def _feed_persons(record_ids: set[int]) -> set[int]:
    if not record_ids:
        return set()
    return set(CreditRecord.objects.filter(pk__in=record_ids, subject__kind=SubjectKind.NATURAL_PERSON)
               .values_list("subject_id", flat=True))


def _staff_actor(request):
    actor = getattr(request, "actor", None)  # a department token (api.DepartmentToken)
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class _Reads:
    """What one staff request showed: the persons' rows, the feed entries of persons, the reads the view audited."""

    def __init__(self):
        self.shown: set[int] = set()
        self.feed_records: set[int] = set()
        self.audited: set[str] = set()

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Note the rows loaded inside the block (the view, or the body of a streaming answer)."""
        tokens = (_shown.set(self.shown), _feed_records.set(self.feed_records))
        try:
            with audit.reads_audited(self.audited):
                yield
        finally:
            _shown.reset(tokens[0])
            _feed_records.reset(tokens[1])

    def record(self, request, actor) -> None:
        persons = self.shown | _feed_persons(self.feed_records)
        unaudited = sorted(pk for pk in persons if str(pk) not in self.audited)
        if not unaudited:
            return
        self.audited.update(map(str, unaudited))  # written once: a streaming body's later rows add only new persons
        page = request.resolver_match.view_name if request.resolver_match else ""
        reason = f"查阅 {request.method} {request.path}"[:200]
        audit.record_many([audit.PendingEvent(Event.NATURAL_PERSON_READ, "subject", pk, reason=reason,
                                              data={"path": request.path[:200], "view": page})
                           for pk in unaudited], actor=actor)


def _streamed(content: Iterator, reads: _Reads, request, actor) -> Iterator:
    """The body of a streaming answer, watched while it is produced; the persons its rows showed beyond those the view
    loaded (written already) are written once it is complete or broken off."""
    try:
        iterator = iter(content)
        while True:
            with reads.watching():
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk
    finally:
        reads.record(request, actor)


class StaffPersonReadAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        reads = _Reads()
        with reads.watching():
            response = self.get_response(request)
        actor = _staff_actor(request)
        if actor is None or response.status_code >= 400:
            return response
        # a file sent as it is (FileResponse) loads no rows while it streams: left to the server's sendfile
        reads.record(request, actor)  # what the view loaded, even if the body is never read
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _streamed(response.streaming_content, reads, request, actor)
        return response
