"""Database triggers that make the audit table append-only below the application (等保 8.1.4.3 c).

PostgreSQL: a row trigger refuses UPDATE and DELETE (TRUNCATE, which only the database owner can run, stays
possible for maintenance and for the test runner's flush). SQLite: the same with RAISE(ABORT). The test suite
installs the SQLite triggers only inside the test that checks them, because Django's test runner flushes
SQLite tables with DELETE.
"""
from __future__ import annotations

import os

PG_INSTALL = """
CREATE OR REPLACE FUNCTION pingan_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '审计日志只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION pingan_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS pingan_audit_append_only();
"""
SQLITE_INSTALL = [
    "CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS core_auditentry_no_update", "DROP TRIGGER IF EXISTS core_auditentry_no_delete"]


def install(connection, *, for_tests: bool = False) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PG_INSTALL)
    elif connection.vendor == "sqlite" and (for_tests or not os.environ.get("PINGAN_TESTING")):
        with connection.cursor() as cursor:
            for sql in SQLITE_INSTALL:
                cursor.execute(sql)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DROP)
        elif connection.vendor == "sqlite":
            for sql in SQLITE_DROP:
                cursor.execute(sql)
