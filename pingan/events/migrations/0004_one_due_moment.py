"""One due moment (issue 9): the case engine's `due_at` is the only deadline of an event.

The engine's date `deadline` (gone from the abstract case) and events' own copies — `handling_deadline`,
`handling_due_at` and `deadline_text`, re-synced after every step — are dropped. `due_at` keeps its column (the
abstract case declares it now: a state-only change of its label). What 按期结案 needs of the old handling
deadline is kept in `handled_due_at`: the handling due moment in force when the unit reported back (from now on
stamped by the engine at 处置反馈), filled here for the events already fed back."""

from django.db import migrations, models
from django.db.models import F


def keep_handling_due(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Event.objects.filter(handled_at__isnull=False, handling_due_at__isnull=False).update(
        handled_due_at=F("handling_due_at"))


def restore_handling_due(apps, schema_editor):
    # Back to the old columns as far as they can be told again: the handling moment from the record, the dates
    # from the moments (deadline_text is not known any more).
    import datetime as dt

    from django.utils import timezone

    Event = apps.get_model("events", "Event")
    Event.objects.filter(handled_due_at__isnull=False).update(handling_due_at=F("handled_due_at"))
    for event in Event.objects.exclude(due_at=None).only("pk", "due_at", "state", "handling_due_at").iterator():
        day = timezone.localtime(event.due_at - dt.timedelta(microseconds=1)).date()
        fields = {"deadline": day}
        if event.state in ("dispatched", "handling"):
            fields.update(handling_due_at=event.due_at, handling_deadline=day)
        Event.objects.filter(pk=event.pk).update(**fields)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_reporter_contact_encrypted_public_display'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='handled_due_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='反馈时的处置期限'),
        ),
        migrations.RunPython(keep_handling_due, restore_handling_due),
        migrations.RemoveField(
            model_name='event',
            name='deadline',
        ),
        migrations.RemoveField(
            model_name='event',
            name='deadline_text',
        ),
        migrations.RemoveField(
            model_name='event',
            name='handling_deadline',
        ),
        migrations.RemoveField(
            model_name='event',
            name='handling_due_at',
        ),
        # The same column, now declared by the abstract case (pingan.cases.models.WorkflowCase): its label only.
        migrations.AlterField(
            model_name='event',
            name='due_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='办理期限'),
        ),
    ]
