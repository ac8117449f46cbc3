"""The platform's own holiday table (节假日与调休表), the data behind every working-day (工作日) count."""

from __future__ import annotations

from django.db import models

from pubcredit.workdays.choices import DayKind, DaySource

__all__ = ["CalendarDay", "CalendarRevision"]


class CalendarDay(models.Model):
    """One date that departs from Monday–Friday: a statutory holiday (法定节假日) or a make-up working day
    (调休上班日). A year with at least one row counts as covered; any other year is counted Monday to Friday.
    """

    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True)  # e.g. 国庆节
    source = models.CharField("来源", max_length=10, choices=DaySource.choices)
    updated_at = models.DateTimeField("更新时间")  # set by the services from rules.clock

    class Meta:
        verbose_name = "节假日/调休日 (calendar day)"
        verbose_name_plural = verbose_name
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], name="workdays_calendarday_unique_date",
                                    violation_error_message="该日期已有节假日或调休记录。"),
            models.CheckConstraint(name="workdays_calendarday_kind_valid",
                                   condition=models.Q(kind__in=DayKind.values),
                                   violation_error_message="类型只能是法定节假日或调休上班日。"),
            models.CheckConstraint(name="workdays_calendarday_source_valid",
                                   condition=models.Q(source__in=DaySource.values),
                                   violation_error_message="来源无效。"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarRevision(models.Model):
    """A single-row counter that every calendar service bumps in its transaction.

    The in-process cache of the calendar (``selectors.work_calendar``) is keyed by it, so a change made by
    another process, or a rolled-back one, is noticed with one cheap query.
    """

    number = models.PositiveBigIntegerField("版本号", default=0)

    class Meta:
        verbose_name = "工作日历版本 (calendar revision)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"calendar revision {self.number}"
