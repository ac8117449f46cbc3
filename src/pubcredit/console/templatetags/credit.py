"""Template filters for credit data: class names and field values in Chinese."""

from django import template

from pubcredit.catalog.registry import all_classes

register = template.Library()


@register.filter
def class_name(code: str) -> str:
    """``admin_penalty`` → 行政处罚."""
    return next((c.name_zh for c in all_classes() if c.code == code), code)
