from django.db import models

from pubcredit.rules.lists import CaseState, EntryStatus, ListKind, RemovalReason


class ListKindChoice(models.TextChoices):
    BLACK = ListKind.BLACK.value, "黑名单"
    RED = ListKind.RED.value, "红名单"


class EntryStatusChoice(models.TextChoices):
    """Lifecycle of a list entry (名单状态); the machine itself is ``rules.lists.ENTRY_TRANSITIONS``."""

    IN_FORCE = EntryStatus.IN_FORCE.value, "在列"
    REMOVED = EntryStatus.REMOVED.value, "已移出"


class RemovalReasonChoice(models.TextChoices):
    EXPIRED = RemovalReason.EXPIRED.value, "期满移出"
    REPAIRED = RemovalReason.REPAIRED.value, "信用修复移出"
    REVOKED = RemovalReason.REVOKED.value, "撤销"
    COURT_DELETED = RemovalReason.COURT_DELETED.value, "法院删除"


class ChangeKind(models.TextChoices):
    ENTERED = "entered", "列入"
    LEFT = "left", "移出"
    UPDATED = "updated", "变更"


class CaseStateChoice(models.TextChoices):
    """Identification workflow states (认定程序); the machine itself is ``rules.lists.CASE_TRANSITIONS``."""

    DRAFT = CaseState.DRAFT.value, "立案"
    BASIS_CHECKED = CaseState.BASIS_CHECKED.value, "依据审查通过"
    NOTIFIED = CaseState.NOTIFIED.value, "已告知（陈述申辩期）"
    DECIDED = CaseState.DECIDED.value, "已作出认定决定"
    PUSHED = CaseState.PUSHED.value, "已推送平台"
    DROPPED = CaseState.DROPPED.value, "不予认定"
