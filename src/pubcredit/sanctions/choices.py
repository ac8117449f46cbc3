from django.db import models


class MeasureKind(models.TextChoices):
    PUNISH = "punish", "惩戒"
    REWARD = "reward", "激励"


class MeasureForce(models.TextChoices):
    MANDATORY = "M", "强制（应当/不得）"
    DISCRETIONARY = "D", "参考（可以/重要考量因素）"
    CONDITIONAL = "C", "依法适用（依照有关法律规定）"


class CheckChannel(models.TextChoices):
    API = "api", "接口核查"
    CONSOLE = "console", "页面核查"
    BATCH = "batch", "批量核查"


class IdentifierKindChoice(models.TextChoices):
    USCC = "uscc", "统一社会信用代码"
    ID_NUMBER = "id_number", "身份证号码"
