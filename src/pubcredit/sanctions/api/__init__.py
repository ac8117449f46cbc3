"""Check API for business systems (联合奖惩核查接口). Token auth: the token's department checks.

- ``POST /api/v1/checks``: check one subject in one scenario → the lists it is on and the measures that apply
  (``checks``);
- ``GET /api/v1/checks/{check_id}``: replay what was answered, and why (entries and rulebook version then)
  (``replay``);
- ``POST /api/v1/checks/{check_id}/feedback``: per measure, applied or not and why (``replay``);
- ``GET /api/v1/checks?awaiting_feedback=true``: the department's checks awaiting feedback (``checks``);
- ``POST /api/v1/checks/batch`` (JSON) and ``POST /api/v1/checks/batch/file`` (CSV/XLSX): screen a case list;
  ``GET /api/v1/checks/batch/{id}`` and ``.../result?format=csv|xlsx`` (``batches``);
- ``/api/v1/watches``: follow subjects; ``GET /api/v1/watches/changes?since=N``: their list changes (``watches``);
- ``GET /api/v1/measures``: the measure list in force (with legal bases) (``measures``).

``pubcredit/api.py`` mounts ``router``, ``watch_router`` and ``measure_router`` from here.
"""

from __future__ import annotations

from pubcredit.sanctions.api.auth import CheckToken
from pubcredit.sanctions.api.checks import router

# Order matters: the batch paths (``/batch…``) must be registered on the checks router before the replay's
# ``/{check_id}``, which would otherwise take ``batch`` for a check id and answer 405 to ``POST /checks/batch``.
from pubcredit.sanctions.api import batches  # noqa: F401 (registers its operations on ``router``)
from pubcredit.sanctions.api import replay  # noqa: F401 (idem, after the batches)
from pubcredit.sanctions.api.measures import measure_router
from pubcredit.sanctions.api.watches import watch_router

__all__ = ["CheckToken", "router", "watch_router", "measure_router"]
