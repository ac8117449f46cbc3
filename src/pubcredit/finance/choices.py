from django.db import models


class Purpose(models.TextChoices):
    """What an enterprise authorises a financial institution's reads for (授权用途)."""

    LOAN_APPLICATION = "loan_application", "贷款申请"
    CREDIT_LINE = "credit_line", "授信额度"
    POST_LOAN = "post_loan", "贷后管理"


class ReadOutcome(models.TextChoices):
    SERVED = "served", "已提供"
    REFUSED = "refused", "已拒绝"


class ApplicationStatus(models.TextChoices):
    """Where a loan application (贷款申请) stands; the bank records each step after the enterprise applies."""

    SUBMITTED = "submitted", "已申请，待审批"
    APPROVED = "approved", "已审批通过"
    REFUSED = "refused", "未获批准"
    DISBURSED = "disbursed", "已放款"


class RepaymentProblemKind(models.TextChoices):
    """A later repayment problem the bank reports on a disbursed loan (贷后还款异常)."""

    OVERDUE = "overdue", "逾期还款"
    NON_PERFORMING = "non_performing", "形成不良贷款"


class Industry(models.TextChoices):
    """国民经济行业分类 GB/T 4754-2017, its 20 sections (门类): the enterprise names its own on the application."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741 - the standard's own letter
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"
