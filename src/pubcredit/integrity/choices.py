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
    FISCAL_GROUP = "fiscal_group", DEBTOR_KIND_LABELS["fiscal_group"]  # 条例第三十六条


class RegisterKind(models.TextChoices):
    """What the register (名录) says a USCC cannot: state-owned, or a 团体组织 using fiscal funds (第三十六条)."""

    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    FISCAL_GROUP = "fiscal_group", "使用财政资金的团体组织"


class IntegrityRole(models.TextChoices):
    """Functions granted inside this app (政务诚信岗位), beside the user's platform role."""

    LEADER = "leader", "领导（查看清欠统计）"
    PERSONNEL_OFFICE = "personnel_office", "人事部门（诚信档案）"
    EDITOR = "editor", "宣传编辑（诚信宣传）"
    PUBLICITY_REVIEWER = "publicity_reviewer", "宣传审核（诚信宣传）"


class ArticleKind(models.TextChoices):
    """Integrity publicity on the site (诚信宣传)."""

    NEWS = "news", "诚信新闻"
    REWARD_CASE = "reward_case", "守信激励典型案例"
    PUNISH_CASE = "punish_case", "失信惩戒典型案例"
    MODEL_UNIT = "model_unit", "诚信示范单位和街区"
    CAMPAIGN = "campaign", "诚信宣传活动"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过待发布"
    PUBLISHED = "published", "已发布"
