"""The engine's one due moment: `due_at` (a datetime) replaces the date `deadline`.

An existing row's due moment is the end of its deadline date (the next midnight, local time), as the case
layer reads a date typed by a person. One UPDATE per distinct date, so it runs the same on SQLite and
PostgreSQL; reversing gives back the date the moment falls in."""
import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def fill_due_at(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    rows = Hazard.objects.using(schema_editor.connection.alias)
    for day in rows.filter(deadline__isnull=False).values_list("deadline", flat=True).distinct():
        end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
        rows.filter(deadline=day).update(due_at=end)


def fill_deadline(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    rows = Hazard.objects.using(schema_editor.connection.alias)
    for moment in rows.filter(due_at__isnull=False).values_list("due_at", flat=True).distinct():
        day = timezone.localtime(moment - dt.timedelta(microseconds=1)).date()
        rows.filter(due_at=moment).update(deadline=day)


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="hazard", name="hazards_haz_state_24a866_idx"),
        migrations.AddField(
            model_name="hazard",
            name="due_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="办理期限"),
        ),
        migrations.RunPython(fill_due_at, fill_deadline),
        migrations.RemoveField(model_name="hazard", name="deadline"),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(fields=["state", "due_at"], name="hazards_haz_state_fa1859_idx"),
        ),
    ]
