"""Publicity of credit records (信用信息公示): severity, regime, publicity window and the state machine.

What the public may see, and for how long, is set by regulation and changed three times since 2019
(``domain/rules.md`` §1). The regimes are data (``rulebook/publicity/*.yaml``): one file per regulation with its
effective dates, its severity classification (处罚类别 and fine amount → 轻微/一般/严重) and its periods. This
module is pure: plain facts about one record in, a :class:`PublicityDecision` out (severity, regime, published,
``publish_from``, ``repairable_from``, ``publish_until``, the reason in Chinese and English, the rule version).

Conventions (docs/publicity.md explains them for operators):

- ``publish_until`` is the **last day shown** (inclusive): a 1-year period from 2026-11-16 ends on 2027-11-15.
- ``repairable_from`` is the first day a repair (信用修复) may be applied for; ``None`` when no early repair is
  possible (the item stops at ``publish_until`` and not before).
- Periods count from the decision date (NDRC regimes, Order 36 art. 7) or from the day of publication
  (SAMR Order 45 art. 13), as the regime's ``period_from`` says. The day of publication on the national system is
  not known to the platform: it is the earlier of the platform's receipt and decision date + 20 working days (Order
  45 art. 9, ``publication_working_days``), so a record sent late is not shown years longer than the law allows.
- ``处罚有效期`` (``restriction_until``) on or before the decision date, or 2099-12-31, is "no duration"; a later date
  extends publication only for the penalty types that have a duration (``duration_types``); others get a note.
- One decision with several penalty types: the most severe class, i.e. the longest period, wins
  (Order 58; Order 36 art. 12 para. 3; SAMR Order 107 art. 6 para. 2).
- An explicit severity given by the identifying unit (认定单位) overrides the classification.
- Records of a list class (红黑名单) follow their list entry, not the regimes: the services hand in the entry's
  :class:`pubcredit.rules.lists.EntryPublicity` (``RecordFacts.list_publicity``) and :func:`assess` adopts it.
- A record decided under an older regime after a newer one took effect: ``transition`` in ``policy.yaml``:
  ``decision_date`` keeps the regime in force on the decision date; ``most_favourable`` also evaluates every
  later regime in force by the assessment date and keeps the outcome most favourable to the subject.
"""

from __future__ import annotations

from pubcredit.rules.publicity.states import (event_for, InvalidTransition, PENALTY_TYPES, PenaltyType, Severity,
                                              SEVERITY_LABELS, State, STATE_LABELS, STICKY, SUBJECT_LABELS, SubjectKind,
                                              transition, TRANSITIONS)
from pubcredit.rules.publicity.rulebook import (ClassPeriod, Disclosure, Family, FamilyMatch, FineRule,
                                                FixedClassPeriod, FixedPeriod, parse_rulebook, Policy,
                                                PublicityRulebook, PublicityRulebookError, Regime, Sector, SectorFine,
                                                SectorRule)
from pubcredit.rules.publicity.assess import (add_months, assess, detect_sectors, family_of, fine_yuan, NO_DURATION,
                                              PublicityDecision, RecordFacts, sector_fine_rule, states_sharing,
                                              target_state, WorkingDays)

__all__ = ["event_for", "InvalidTransition", "PENALTY_TYPES", "PenaltyType", "Severity", "SEVERITY_LABELS", "State",
           "STATE_LABELS", "STICKY", "SUBJECT_LABELS", "SubjectKind", "transition", "TRANSITIONS", "ClassPeriod",
           "Disclosure", "Family", "FamilyMatch", "FineRule", "FixedClassPeriod", "FixedPeriod", "parse_rulebook",
           "Policy", "PublicityRulebook", "PublicityRulebookError", "Regime", "Sector", "SectorFine", "SectorRule",
           "add_months", "assess", "detect_sectors", "family_of", "fine_yuan", "NO_DURATION", "PublicityDecision",
           "RecordFacts", "sector_fine_rule", "states_sharing", "target_state", "WorkingDays"]
