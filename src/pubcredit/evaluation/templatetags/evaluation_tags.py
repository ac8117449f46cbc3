from django import template

from pubcredit.evaluation.choices import CreditClassChoice

register = template.Library()


@register.filter
def evaluation_class(code: str) -> str:
    """Class code → 诚信守法 / 轻微失信 / 一般失信 / 严重失信."""
    try:
        return CreditClassChoice(code).label
    except ValueError:
        return "未知类别"
