"""``/api/v1/watches``: follow subjects (关注主体) and read their list changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.responses import Status

from pubcredit.api import DepartmentToken
from pubcredit.sanctions import selectors, services

watch_router = Router(tags=["watches (关注主体)"], auth=DepartmentToken())


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
