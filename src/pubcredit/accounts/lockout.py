"""Login lockout (登录锁定) with django-axes: per user at one address, and per address whatever the usernames.

django-axes counts failures per parameter group and compares the largest count with one limit. We count two groups,
(username, address) and address alone, and want a different limit for each: ``PUBCREDIT_LOGIN_FAILURE_LIMIT`` (5)
failures of one username from one address, or ``PUBCREDIT_LOGIN_ADDRESS_FAILURE_LIMIT`` (20) failures from one
address over any usernames (issue 19: 30 usernames from one address used to pass). The address limit is higher
because a whole office may sit behind one address. :func:`failure_limit` (``AXES_FAILURE_LIMIT``) gives axes the
limit that makes its one comparison mean exactly that.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum


def failure_limit(request, credentials) -> int:
    """The per-user limit once this username has reached it from this address; the address limit otherwise.

    axes compares its largest count, the address's, with the limit returned: the address count is at least the
    pair's, so returning the per-user limit when the pair reached it locks the pair, and otherwise the address is
    locked only when it reached the address limit.
    """
    from axes.helpers import get_client_ip_address, get_client_username
    from axes.models import AccessAttempt

    from pubcredit.rules import clock

    username = get_client_username(request, credentials)
    address = get_client_ip_address(request)
    per_user = settings.PUBCREDIT_LOGIN_FAILURE_LIMIT
    if username:
        attempts = AccessAttempt.objects.filter(username=username, ip_address=address,
                                                attempt_time__gte=clock.wall_now() - settings.AXES_COOLOFF_TIME)
        if (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= per_user:
            return per_user
    return settings.PUBCREDIT_LOGIN_ADDRESS_FAILURE_LIMIT
