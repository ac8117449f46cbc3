"""Every staff read of a natural person's data is audited (自然人信息查阅留痕), wherever it is shown (issue 19 item 4).

Pages and API operations that show a natural person load the person's ``Subject`` row (or a ``Check``, which
keeps the person's name and masked number on its own row): the subject page, the
record-versions page, the workbench home and name search, list entries, checks, check batches, commitments, repair
cases, reports, the admin. Rather than trusting each of them (and every page added later) to remember an audit
call, :class:`StaffPersonReadAuditMiddleware` notes every natural person's row instantiated while a staff
request or a department token's API call is answered, and when the answer is a success writes one
``subject.read_person`` event per person (actor, person, ``reason`` = the page), in bulk, after the view. Persons
whose read the view already audited with its own purpose (``subjects.services.person_read_log``: the subject page,
an identity-number search) are not written twice.

Not covered here: the public site and public API (public by law, item 3, docs/security.md), a streaming response's
rows loaded after the view returned (the check-batch CSV audits itself, ingest/exports.py), and person data read
without the ``Subject`` row (a ``values()`` query): the walk test (tests/audit/test_person_reads.py) visits every
page and operation that shows a person and checks the audit row.
"""

from __future__ import annotations

import contextvars

from django.db.models.signals import post_init

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.sanctions.models import Check
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject

# paths answered to anyone, never as staff: no per-read audit (docs/security.md, "Reads never wait for imports")
PUBLIC_PREFIXES = ("/public/", "/api/v1/public/", "/static/", "/login/", "/logout/")
# the persons (subject ids) loaded during the current request, or None outside a staff request
_shown: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("person_reads_shown", default=None)


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


post_init.connect(_subject_loaded, sender=Subject, dispatch_uid="pubcredit.person_reads")
post_init.connect(_check_loaded, sender=Check, dispatch_uid="pubcredit.person_reads.check")


def _staff_actor(request):
    actor = getattr(request, "actor", None)  # a department token (api.DepartmentToken)
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class StaffPersonReadAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        shown: set[int] = set()
        token = _shown.set(shown)
        try:
            with audit.reads_audited() as audited:
                response = self.get_response(request)
        finally:
            _shown.reset(token)
        actor = _staff_actor(request)
        unaudited = sorted(pk for pk in shown if str(pk) not in audited)
        if unaudited and actor is not None and response.status_code < 400:
            page = request.resolver_match.view_name if request.resolver_match else ""
            reason = f"查阅 {request.method} {request.path}"[:200]
            audit.record_many([audit.PendingEvent(Event.NATURAL_PERSON_READ, "subject", pk, reason=reason,
                                                  data={"path": request.path[:200], "view": page})
                               for pk in unaudited], actor=actor)
        return response
