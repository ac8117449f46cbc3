from django.db import models

from pubcredit.rules.integrity import DEBTOR_KIND_LABELS, STATUS_LABELS


class ArrearsStatus(models.TextChoices):
    """State of an arrears complaint (拖欠账款投诉办理状态); labels from rules.integrity."""

    FILED = "filed", STATUS_LABELS["filed"]
    ASSIGNED = "assigned", STATUS_LABELS["assigned"]
    VERIFIED = "verified", STATUS_LABELS["verified"]
    PLANNED = "planned", STATUS_LABELS["planned"]
    CLEARED = "cleared", STATUS_LABELS["cleared"]
    REJECTED = "rejected", STATUS_LABELS["rejected"]


class DebtorKind(models.TextChoices):
    GOVERNMENT_BODY = "government_body", DEBTOR_KIND_LABELS["government_body"]
    PUBLIC_INSTITUTION = "public_institution", DEBTOR_KIND_LABELS["public_institution"]
    STATE_ENTERPRISE = "state_enterprise", DEBTOR_KIND_LABELS["state_enterprise"]


class IntegrityRole(models.TextChoices):
    """Functions granted inside this app (政务诚信岗位), beside the user's platform role."""

    LEADER = "leader", "领导（查看清欠统计）"
    PERSONNEL_OFFICE = "personnel_office", "人事部门（诚信档案）"
