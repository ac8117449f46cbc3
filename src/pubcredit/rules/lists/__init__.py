"""Red and black lists (红黑名单): terms, removal, the lifecycle of an entry and the identification workflow.

Pure rules over plain values; the Django side (``pubcredit.lists``) stores entries and calls these. The list
rulebook (``rulebook/lists/*.yaml``, one file per list class) is parsed here into frozen models:

- **Term** (期限): the first matching ``term.rules`` item gives the duration, counted from the entry's effective
  date (or decision date); ``years: null`` is no fixed term (失信被执行人 on ground 1 ends on performance, 法释
  〔2017〕7号 第二条、第十条). A department's own ``planned_end_date`` wins over the rulebook (e.g. a court that
  extended the term by 1–3 years). ``planned_end`` is the last day in force, inclusive.
- **Lifecycle** (状态): ``in_force`` → ``removed`` with a reason: expired (期满), repaired (信用修复), revoked (撤销),
  court_deleted (法院删除). :data:`ENTRY_TRANSITIONS` is the whole state machine.
- **Identification workflow** (认定程序, 国办发〔2020〕49号 §(六)): legal-basis check, prior notification with the
  subject's right to state a defence (陈述申辩) within a deadline in working days, decision stating removal
  conditions and remedies, push to the platform. :data:`CASE_TRANSITIONS` is its state machine.
- **Push deadline** (推送时限): lists reach the city platform within 7 working days of their identification
  (淄政办字〔2021〕31号 第八项).
- **Publicity** (名单公示): :func:`entry_publicity` decides whether the public site shows an entry and over which
  window: from the later of its effective date and its receipt by the platform until its last day in force, ending
  at once (the day before ``removed_on``) when it is removed. Which lists are published, which of their fields are
  shown and how natural persons are treated is each list file's ``publicity`` block, with its sources.
"""

from __future__ import annotations

from pubcredit.rules.lists.states import (CASE_TRANSITIONS, CaseEvent, CaseState, ENTRY_TRANSITIONS, EntryEvent,
                                          EntryStatus, ListKind, ListRulebookError, REMOVAL_EVENTS, RemovalReason,
                                          TransitionError)
from pubcredit.rules.lists.rulebook import (BasisItem, BasisLevel, Condition, INTERIM_LEVELS, LEVEL_LABELS,
                                            ListPublicity, ListRulebook, ListSpec, LOCAL_LEVELS, NATIONAL_LEVELS,
                                            parse_rulebook, Procedure, Term, TermRule)
from pubcredit.rules.lists.terms import (add_years, DayBound, derive_entry, DerivedEntry, expiry_day, IN_FORCE_BOUNDS,
                                         in_force_on, is_expired, parse_day, planned_end, REMOVAL_LABELS, TermOutcome)
from pubcredit.rules.lists.publicity import entry_publicity, EntryPublicity
from pubcredit.rules.lists.workflow import (basis_check, BasisCheck, case_transition, defence_deadline,
                                            defence_deadline_bound, entry_transition, push_is_late)

__all__ = ["CASE_TRANSITIONS", "CaseEvent", "CaseState", "ENTRY_TRANSITIONS", "EntryEvent", "EntryStatus", "ListKind",
           "ListRulebookError", "REMOVAL_EVENTS", "RemovalReason", "TransitionError", "BasisItem", "BasisLevel",
           "Condition", "INTERIM_LEVELS", "LEVEL_LABELS", "ListPublicity", "ListRulebook", "ListSpec", "LOCAL_LEVELS",
           "NATIONAL_LEVELS", "parse_rulebook", "Procedure", "Term", "TermRule", "add_years", "DayBound",
           "derive_entry", "DerivedEntry", "expiry_day", "IN_FORCE_BOUNDS", "in_force_on", "is_expired", "parse_day",
           "planned_end", "REMOVAL_LABELS", "TermOutcome", "entry_publicity", "EntryPublicity", "basis_check",
           "BasisCheck", "case_transition", "defence_deadline", "defence_deadline_bound", "entry_transition",
           "push_is_late"]
