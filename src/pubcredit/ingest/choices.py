from django.db import models


class BatchStatus(models.TextChoices):
    RECEIVED = "received", "已接收"
    PROCESSING = "processing", "处理中"
    DONE = "done", "已完成"
    REFUSED = "refused", "整批退回"  # unreadable file or required columns missing


class RejectionStatus(models.TextChoices):
    OPEN = "open", "待修正"
    RESOLVED = "resolved", "已修正"  # a later submission of the same business key was accepted
    SUPERSEDED = "superseded", "已被新的退回取代"  # resubmitted and rejected again: the newer row counts
