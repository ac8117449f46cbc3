"""Reading checks, replays, watches, measures and the joint reward and punishment figures, scoped per viewer.

One module per concept: ``access`` (who may do what, which checks a viewer sees), ``facts`` (what one check reads,
in one round trip), ``checks`` (checks, replays, batch screenings), ``watches``, ``measures`` and ``figures``. The
names are re-exported here, so ``from pubcredit.sanctions import selectors`` keeps working everywhere.
"""

from __future__ import annotations

from pubcredit.sanctions.selectors.access import (
    check_scope, may_check, may_edit_measures, may_read_city_figures, may_read_department_figures,
)
from pubcredit.sanctions.selectors.checks import (
    Replay, awaiting_feedback, batch_for_department, batch_get, batch_rows, check_answer, check_for_department,
    check_get, check_list, check_replay, checks_for_department, feedback_latest, usual_scenario,
)
from pubcredit.sanctions.selectors.facts import CheckFacts, EntryRow, SubjectRow, check_facts
from pubcredit.sanctions.selectors.figures import (
    FIGURE_MONTHS, CheckFigures, CityFigures, city_figures, department_figures,
)
from pubcredit.sanctions.selectors.measures import (
    MeasureRow, measure_current, measure_history, measure_rows, scenario_names,
)
from pubcredit.sanctions.selectors.watches import (
    watch_changes, watch_feed_head, watch_inbox, watch_list, watch_unread,
)

__all__ = [
    "check_scope", "may_check", "may_edit_measures", "may_read_city_figures", "may_read_department_figures",
    "Replay", "awaiting_feedback", "batch_for_department", "batch_get", "batch_rows", "check_answer",
    "check_for_department", "check_get", "check_list", "check_replay", "checks_for_department", "feedback_latest",
    "usual_scenario", "CheckFacts", "EntryRow", "SubjectRow", "check_facts", "FIGURE_MONTHS", "CheckFigures",
    "CityFigures", "city_figures", "department_figures", "MeasureRow", "measure_current", "measure_history",
    "measure_rows", "scenario_names", "watch_changes", "watch_feed_head", "watch_inbox", "watch_list", "watch_unread",
]
