from django.db import models

from pubcredit.rules.industries import SECTIONS


class SubjectKind(models.TextChoices):
    """Kinds of credit subject (信用主体类别); codes match the catalogue's subject_category enumeration."""

    LEGAL_PERSON = "legal_person", "法人及非法人组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    NATURAL_PERSON = "natural_person", "自然人"


class IdentifierKind(models.TextChoices):
    USCC = "uscc", "统一社会信用代码"
    RESIDENT_ID = "resident_id", "居民身份证号码"


# 国民经济行业门类 (GB/T 4754-2017), from rules.industries: ("C", "C 制造业")
INDUSTRY_CHOICES = [(letter, f"{letter} {name}") for letter, name in SECTIONS.items()]
