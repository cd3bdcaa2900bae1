"""Refuse UPDATE and DELETE of audit entries in the database itself (see core/dbtriggers.py)."""
from django.db import migrations


def forwards(apps, schema_editor):
    from pingan.core import dbtriggers

    dbtriggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from pingan.core import dbtriggers

    dbtriggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
