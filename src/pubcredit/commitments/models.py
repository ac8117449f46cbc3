"""Commitments are credit records of the catalogue class ``credit_commitment`` (versioned by the records app); this
app keeps only what is its own: the answers to 告知承诺 eligibility questions, as a check keeps its answer."""

from __future__ import annotations

import uuid

from django.db import models

from pubcredit.accounts.models import Department


class EligibilityAnswer(models.Model):
    """One answer of ``POST /api/v1/commitments/eligibility`` (告知承诺适用性核查), kept with the check it ran
    (``sanctions.Check``: the lists and measures then) and the rulebook versions, so it can be replayed."""

    answer_id = models.UUIDField("答复编号", default=uuid.uuid4, unique=True, editable=False)
    department = models.ForeignKey(Department, verbose_name="查询部门", on_delete=models.PROTECT,
                                   related_name="commitment_eligibility_answers")
    actor_label = models.CharField("查询人", max_length=200)
    check_id = models.UUIDField("联合奖惩核查编号")
    subject_code = models.CharField("主体代码（自然人已脱敏）", max_length=64)
    subject_name = models.CharField("主体名称", max_length=200, blank=True)
    matter = models.CharField("承诺事项", max_length=64)
    reference = models.CharField("业务编号", max_length=200, blank=True)
    eligible = models.BooleanField("可以适用告知承诺制")
    reasons = models.JSONField("理由", default=list)
    rulebook_version = models.CharField("承诺规则版本", max_length=80)
    measures_version = models.TextField("措施清单版本")  # as long as the check's (list rules and measures)
    as_of = models.DateTimeField("核查时间")

    class Meta:
        verbose_name = "告知承诺适用性核查 (commitment eligibility answer)"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["department", "as_of"], name="commit_elig_dept_idx")]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.matter} {'可以' if self.eligible else '不适用'}"
