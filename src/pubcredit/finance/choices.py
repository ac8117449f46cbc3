from django.db import models


class Purpose(models.TextChoices):
    """What an enterprise authorises a financial institution's reads for (授权用途)."""

    LOAN_APPLICATION = "loan_application", "贷款申请"
    CREDIT_LINE = "credit_line", "授信额度"
    POST_LOAN = "post_loan", "贷后管理"


class ReadOutcome(models.TextChoices):
    SERVED = "served", "已提供"
    REFUSED = "refused", "已拒绝"
