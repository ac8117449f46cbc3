"""Seed the holiday table from chinesecalendar (2004–2026 in version 1.11): holidays and make-up working days.

chinesecalendar's constants map each date to the English name of its holiday; the Chinese names are frozen
here so that the seed never depends on code that may change. Later years are loaded by an operator
(``pubcredit load_calendar`` or the 工作日历 page).
"""

from django.db import migrations

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(value) -> str:
    # constants hold plain English names in 1.11; other releases hold Holiday enums whose value is a
    # tuple (English, Chinese, ...)
    value = getattr(value, "value", value)
    if isinstance(value, tuple):
        return str(value[1] if len(value) > 1 else HOLIDAY_NAMES_ZH.get(value[0], value[0]))[:50]
    return HOLIDAY_NAMES_ZH.get(str(value), str(value))[:50]


def seed(apps, schema_editor):
    from chinese_calendar import constants

    from pubcredit.rules import clock

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    now = clock.now()
    rows = {}
    for day, value in constants.holidays.items():
        rows[day] = CalendarDay(date=day, kind="holiday", name=_name(value), source="seed", updated_at=now)
    for day, value in constants.workdays.items():
        rows[day] = CalendarDay(date=day, kind="workday", name=_name(value), source="seed", updated_at=now)
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create([row for day, row in sorted(rows.items()) if day not in existing], batch_size=500)
    revision, _ = CalendarRevision.objects.get_or_create(pk=1)
    revision.number += 1
    revision.save()


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(source="seed").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
