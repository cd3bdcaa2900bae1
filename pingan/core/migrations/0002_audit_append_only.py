"""On PostgreSQL, refuse UPDATE and DELETE of audit entries in the database itself (等保 8.1.4.3 c)."""
from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION pingan_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '审计日志只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION pingan_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS pingan_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
            "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;")
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
            "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
