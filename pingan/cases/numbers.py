"""Readable case numbers: prefix + township code + yyyymmdd + 3-digit sequence (YH140311101202403150001…).

The counter row of (prefix, township, day) is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers) inside the creating transaction, so two registrations at the
same moment get consecutive numbers and a rolled-back registration gives its number back.

On PostgreSQL and SQLite ≥ 3.35 this is one statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, which
takes the same row lock as the UPDATE); elsewhere an UPDATE, an INSERT when the row is new, and a SELECT.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

from django.db import IntegrityError, transaction
from django.db.models import F
from .models import CaseCounter


def _upsert_supported(connection) -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35, 0)


def next_case_number(prefix: str, township_code: str, day: dt.date) -> str:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_case_number 必须在创建案件的事务内调用。")
    if _upsert_supported(connection):
        last = _next_upsert(connection, CaseCounter, prefix, township_code, day)
    else:
        last = _next_portable(CaseCounter, prefix, township_code, day)
    return f"{prefix}{township_code}{day:%Y%m%d}{last:03d}"


def _next_upsert(connection, model, prefix: str, township_code: str, day: dt.date) -> int:
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    column = {name: q(model._meta.get_field(name).column) for name in ("prefix", "township_code", "day", "last")}
    sql = (f"INSERT INTO {table} ({column['prefix']}, {column['township_code']}, {column['day']}, {column['last']}) "
           f"VALUES (%s, %s, %s, 1) ON CONFLICT ({column['prefix']}, {column['township_code']}, {column['day']}) "
           f"DO UPDATE SET {column['last']} = {table}.{column['last']} + 1 RETURNING {column['last']}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, township_code, connection.ops.adapt_datefield_value(day)])
        return cursor.fetchone()[0]


def _next_portable(model, prefix: str, township_code: str, day: dt.date) -> int:
    lookup = {"prefix": prefix, "township_code": township_code, "day": day}
    updated = model.objects.filter(**lookup).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                model.objects.create(**lookup, last=1)
        except IntegrityError:  # another transaction created the row first: take the next number after it
            model.objects.filter(**lookup).update(last=F("last") + 1)
    return model.objects.filter(**lookup).values_list("last", flat=True).get()
