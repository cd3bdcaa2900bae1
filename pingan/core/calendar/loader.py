"""Loading the notices of `data.py` into the `CalendarDay` table (migration, `manage.py load_holidays`)."""
from __future__ import annotations


def load_holidays(CalendarDay=None, *, overwrite: bool = False) -> tuple[int, int]:
    """Create the rows of the official table that are missing; with `overwrite`, reset edited rows too.

    Returns (created, updated). A day the district edited keeps its edit unless `overwrite` is given.
    """
    from . import data, forget

    if CalendarDay is None:
        from pingan.core.models import CalendarDay
    existing = {row.date: row for row in CalendarDay.objects.filter(
        date__gte=f"{data.FIRST_YEAR - 1}-12-01", date__lte=f"{data.LAST_YEAR}-12-31")}
    created = updated = 0
    new = []
    for day, is_workday, name, source in data.non_default_days():
        row = existing.get(day)
        if row is None:
            new.append(CalendarDay(date=day, is_workday=is_workday, name=name, source=source))
        elif overwrite and (row.is_workday, row.name, row.source) != (is_workday, name, source):
            row.is_workday, row.name, row.source = is_workday, name, source
            row.save(update_fields=["is_workday", "name", "source", "updated_at"])
            updated += 1
    CalendarDay.objects.bulk_create(new, batch_size=500)
    created = len(new)
    for year in range(data.FIRST_YEAR - 1, data.LAST_YEAR + 1):
        forget(year)
    return created, updated
