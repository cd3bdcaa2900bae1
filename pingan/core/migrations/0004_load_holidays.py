"""Load China's public holidays and adjusted working days 2017–2027 (pingan/core/calendar/data.py)."""
from django.db import migrations


def load(apps, schema_editor):
    from pingan.core.calendar.loader import load_holidays

    load_holidays(apps.get_model("core", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_workflow_calendar")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
