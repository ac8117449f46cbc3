from django.db import models

from pubcredit.rules.evaluation import CLASS_LABELS, CreditClass


class CreditClassChoice(models.TextChoices):
    """The four classes of the Zibo policy (item 5); grades map to them in ``rules.evaluation.GRADE_CLASS``."""

    HONEST = CreditClass.HONEST.value, CLASS_LABELS[CreditClass.HONEST]
    MINOR = CreditClass.MINOR.value, CLASS_LABELS[CreditClass.MINOR]
    GENERAL = CreditClass.GENERAL.value, CLASS_LABELS[CreditClass.GENERAL]
    SERIOUS = CreditClass.SERIOUS.value, CLASS_LABELS[CreditClass.SERIOUS]


class RunTrigger(models.TextChoices):
    QUARTERLY = "quarterly", "季度评价"
    ON_DEMAND = "on_demand", "按需评价"
    INCREMENTAL = "incremental", "增量刷新"  # the subjects whose records or entries changed (evaluation.tasks)


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "评价中"
    DONE = "done", "已完成"
