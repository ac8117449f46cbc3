"""Departments' watches (关注主体) and the list changes of the subjects they follow."""

from __future__ import annotations

from django.db.models import Max, QuerySet, Subquery

from pubcredit.accounts.models import Department
from pubcredit.lists.models import ListChange
from pubcredit.sanctions.models import Watch, WatchCursor


def watch_list(*, department: Department) -> QuerySet[Watch]:
    return Watch.objects.filter(department=department, active=True).order_by("-id")


def _watched_keys(department: Department) -> QuerySet:
    return Watch.objects.filter(department=department, active=True).values("subject_key")


def watch_changes(*, department: Department, since: int = 0, limit: int = 500) -> list[ListChange]:
    """List changes of the department's watched subjects after cursor ``since`` (the change feed for watches)."""
    return list(ListChange.objects.filter(subject_key__in=Subquery(_watched_keys(department)), id__gt=since)
                .select_related("subject").order_by("id")[:max(1, min(limit, 1000))])


def watch_feed_head() -> int:
    return ListChange.objects.aggregate(n=Max("id"))["n"] or 0


def watch_inbox(*, department: Department, limit: int = 200) -> tuple[list[ListChange], int]:
    """The department's notifications (newest first) and its read cursor."""
    cursor = WatchCursor.objects.filter(department=department).values_list("read_cursor", flat=True).first() or 0
    items = list(ListChange.objects.filter(subject_key__in=Subquery(_watched_keys(department)))
                 .select_related("subject").order_by("-id")[:limit])
    return items, cursor


def watch_unread(*, department: Department) -> int:
    cursor = WatchCursor.objects.filter(department=department).values_list("read_cursor", flat=True).first() or 0
    return ListChange.objects.filter(subject_key__in=Subquery(_watched_keys(department)), id__gt=cursor).count()
