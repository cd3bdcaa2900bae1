"""The default visit rules (domain reference §4); the district edits them afterwards on the rules page."""
from django.db import migrations

# Reference data the application needs in every database: the test suite re-runs this migration's code after
# a transactional test has flushed the tables (conftest.py).
REFERENCE_DATA = True

DEFAULTS = [
    ("mental", "", 90, 4), ("mental", "0", 90, 4), ("mental", "1", 14, 4), ("mental", "2", 14, 4),
    ("mental", "3", 14, 4), ("mental", "4", 14, 4), ("mental", "5", 14, 4),
    ("released", "", 90, 4), ("released", "high", 30, 4), ("released", "medium", 60, 4),
    ("correction", "", 30, 12), ("correction", "high", 7, 12), ("correction", "medium", 14, 12),
    ("drug", "", 90, 4), ("drug", "high", 14, 4), ("drug", "medium", 30, 4),
    ("aids", "", 90, 4), ("aids", "high", 30, 4),
    ("youth", "", 90, 4), ("youth", "high", 30, 4), ("youth", "medium", 60, 4),
]


def add_defaults(apps, schema_editor):
    VisitRule = apps.get_model("people", "VisitRule")
    for kind, level, days, per_year in DEFAULTS:
        VisitRule.objects.get_or_create(kind=kind, risk_level=level,
                                        defaults={"interval_days": days, "min_per_year": per_year})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
