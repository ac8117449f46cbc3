"""Change feed for downstream systems (公示变更流水): ``GET /api/v1/changes?since=CURSOR`` with a department token.

Order 36 art. 21–24: the provincial platform and third-party credit agencies must follow repairs and stops.
Every publicity change (published, expired, repaired, withheld, revoked …) is one entry; ``next_cursor`` is what to
send as ``since`` next time. Asking with ``since=N`` confirms everything up to N: operators see each consumer's lag.
"""

import datetime as dt

from ninja import Query, Router, Schema

from pubcredit.api import DepartmentToken
from pubcredit.publicity import selectors
from pubcredit.publicity.services import feed_consumer_seen

router = Router(tags=["change feed"], auth=DepartmentToken())


class ChangesQuery(Schema):
    since: int = 0
    limit: int = 500


class ChangeOut(Schema):
    cursor: int
    record_id: int
    event: str
    state: str
    previous_state: str
    shown: bool
    shared: bool
    class_code: str
    decision_no: str
    subject_code: str
    severity: str | None
    publish_from: dt.date | None
    repairable_from: dt.date | None
    publish_until: dt.date | None
    effective_on: dt.date
    rule_version: str
    changed_at: dt.datetime


class ChangesOut(Schema):
    since: int
    next_cursor: int
    head: int
    has_more: bool
    changes: list[ChangeOut]


@router.get("", response=ChangesOut, url_name="publicity_changes")
def changes(request, query: Query[ChangesQuery]):
    """Publicity changes after ``since`` (oldest first, at most 1000), the cursor to resume from and the head.
    ``shown``: visible on the public site now; ``shared``: still shared (false after repair or revocation).
    A token reads the changes that are or end a publication, and every change of its own department's records;
    another department's withheld records are not in its feed. A ``since`` beyond the last cursor handed to this
    department counts as that cursor (``since`` in the answer says which was used): no change is skipped unseen."""
    head = selectors.feed_head()  # read first: entries committed after it wait for the next call
    # a cursor moves only to a position this department was served (and never past what exists): asking from further
    # on reads from its last served cursor, so no change can be skipped (or confirmed) unseen
    since = min(max(query.since, 0), head, selectors.feed_served(department=request.department))
    limit = max(1, min(query.limit, selectors.FEED_PAGE_MAX))
    entries = selectors.feed_since(cursor=since, limit=limit, department=request.department, up_to=head)
    # a full page ends at its last entry; a shorter one has read everything the token may see up to the head
    next_cursor = entries[-1].id if len(entries) == limit else head
    feed_consumer_seen(department=request.department, since=since, delivered=next_cursor,
                       token_prefix=request.api_token.prefix)
    return {
        "since": since, "next_cursor": next_cursor, "head": head, "has_more": next_cursor < head,
        "changes": [{"cursor": e.id, "record_id": e.record_id, "event": e.event, "state": e.state,
                     "previous_state": e.previous_state, "shown": e.shown, "shared": e.shared,
                     "class_code": e.class_code, "decision_no": e.decision_no, "subject_code": e.subject_code,
                     "severity": e.severity or None, "publish_from": e.publish_from,
                     "repairable_from": e.repairable_from, "publish_until": e.publish_until,
                     "effective_on": e.effective_on, "rule_version": e.rule_version, "changed_at": e.changed_at}
                    for e in entries],
    }
