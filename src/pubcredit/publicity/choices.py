from django.db import models

from pubcredit.rules.publicity import SEVERITY_LABELS, STATE_LABELS, Severity, State


class PublicityStateChoice(models.TextChoices):
    """Publicity states (公示状态); the machine itself is ``rules.publicity.TRANSITIONS``."""

    PENDING = State.PENDING.value, STATE_LABELS[State.PENDING]
    PUBLISHED = State.PUBLISHED.value, STATE_LABELS[State.PUBLISHED]
    WITHHELD = State.WITHHELD.value, STATE_LABELS[State.WITHHELD]
    REPAIRED = State.REPAIRED.value, STATE_LABELS[State.REPAIRED]
    EXPIRED = State.EXPIRED.value, STATE_LABELS[State.EXPIRED]
    REVOKED = State.REVOKED.value, STATE_LABELS[State.REVOKED]
    OBJECTION_HOLD = State.OBJECTION_HOLD.value, STATE_LABELS[State.OBJECTION_HOLD]
    ARCHIVED = State.ARCHIVED.value, STATE_LABELS[State.ARCHIVED]


class SeverityChoice(models.TextChoices):
    """失信程度 (Order 36 art. 7)."""

    MINOR = Severity.MINOR.value, SEVERITY_LABELS[Severity.MINOR]
    GENERAL = Severity.GENERAL.value, SEVERITY_LABELS[Severity.GENERAL]
    SERIOUS = Severity.SERIOUS.value, SEVERITY_LABELS[Severity.SERIOUS]
