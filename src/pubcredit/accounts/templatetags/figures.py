"""Template filters for the department figures pages."""

from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """A 0–1 share as a percentage: ``0.8333`` → ``83.3%``; no value → ``—``."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"
