"""Load China's public holidays and adjusted working days 2017–2027 (pingan/core/calendar/data.py)."""
from django.db import migrations

# Reference data the application needs in every database: the test suite re-runs this migration's code after
# a transactional test has flushed the tables (conftest.py).
REFERENCE_DATA = True


def load(apps, schema_editor):
    from pingan.core.calendar.loader import load_holidays

    load_holidays(apps.get_model("core", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_workflow_calendar")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
