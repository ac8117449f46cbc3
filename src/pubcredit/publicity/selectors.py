"""Reading publicity state, the change feed and its consumers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from pubcredit.publicity.choices import PublicityStateChoice
from pubcredit.publicity.models import ChangeFeedEntry, FeedConsumer, PublicityState, TickRun
from pubcredit.publicity.rulebook import rulebook
from pubcredit.rules.publicity import PublicityRulebook

FEED_PAGE_MAX = 1000


def state_for_record(*, record_id: int) -> PublicityState | None:
    return PublicityState.objects.filter(record_id=record_id).first()


def feed_head() -> int:
    """The newest cursor (0 when the feed is empty)."""
    return ChangeFeedEntry.objects.aggregate(head=Max("id"))["head"] or 0


def feed_served(*, department) -> int:
    """The last cursor handed to the department's system (0 before its first read)."""
    return FeedConsumer.objects.filter(department=department).values_list("delivered_cursor", flat=True).first() or 0


def feed_visible_to(department) -> Q:
    """What a department's token reads in the feed (issue 19): every change that is or ends a publication (shown
    now, or leaving the published state: a repair, an expiry, a revocation downstream systems must follow), and
    every change of the department's own records. A withheld record of another department stays out of it."""
    return Q(shown=True) | Q(previous_state=PublicityStateChoice.PUBLISHED) | Q(record__department=department)


def feed_since(*, cursor: int, limit: int = 500, department=None, up_to: int | None = None) -> list[ChangeFeedEntry]:
    """Changes after ``cursor`` (up to ``up_to``), oldest first (at most ``FEED_PAGE_MAX``); with ``department``,
    only those :func:`feed_visible_to` gives it."""
    limit = max(1, min(limit, FEED_PAGE_MAX))
    entries = ChangeFeedEntry.objects.filter(id__gt=max(cursor, 0))
    if up_to is not None:
        entries = entries.filter(id__lte=up_to)
    if department is not None:
        entries = entries.filter(feed_visible_to(department))
    return list(entries.order_by("id")[:limit])


@dataclass(frozen=True)
class ConsumerRow:
    consumer: FeedConsumer
    lag: int  # changes it has not confirmed yet (head − the cursor it last asked from)

    @property
    def behind(self) -> bool:
        return self.lag > 0


def consumer_list() -> tuple[list[ConsumerRow], int]:
    """Every downstream system that has read the feed, most behind first, and the feed's head."""
    head = feed_head()
    rows = [ConsumerRow(c, max(head - c.acknowledged_cursor, 0))
            for c in FeedConsumer.objects.select_related("department")]
    rows.sort(key=lambda r: (-r.lag, r.consumer.department.code))
    return rows, head


def tick_runs(*, limit: int = 10) -> QuerySet[TickRun]:
    return TickRun.objects.order_by("-id")[:limit]


def publicity_rulebook() -> PublicityRulebook:
    """The rulebook in force (for pages explaining the rules)."""
    return rulebook()
