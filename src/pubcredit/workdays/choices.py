from django.db import models


class DayKind(models.TextChoices):
    """What a calendar entry says about its date."""

    HOLIDAY = "holiday", "法定节假日"  # statutory holiday: not a working day
    WORKDAY = "workday", "调休上班日"  # make-up working day on a weekend


class DaySource(models.TextChoices):
    """Where a calendar entry came from."""

    SEED = "seed", "初始数据（chinesecalendar）"
    OPERATOR = "operator", "操作员维护"
    FILE = "file", "文件导入"
