from django.db import migrations


# The workflow models moved to the case layer's own app (pingan.cases, migration 0001_moved_from_core): core's
# state forgets them; the tables stay and are renamed by cases 0002.
class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_limit_counter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="WorkflowAttachment"),
                migrations.DeleteModel(name="TransitionLog"),
                migrations.DeleteModel(name="Supervision"),
                migrations.DeleteModel(name="Extension"),
                migrations.DeleteModel(name="WorkflowRule"),
                migrations.DeleteModel(name="CaseCounter"),
            ],
        ),
    ]
