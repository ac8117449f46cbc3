from django.db import models


class RecordStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REVOKED = "revoked", "已撤销"


class SubmissionChannel(models.TextChoices):
    """How a version reached the platform (归集渠道)."""

    FILE = "file", "文件导入"
    API = "api", "接口报送"
    FORM = "form", "页面录入"
    DEMO = "demo", "演示数据"
