"""Counters that protect (login lockout by address, rate limits): one row per key in the database.

Every worker and every process reads and writes the same rows, so neither two gunicorn workers nor a restart
give an attacker a fresh allowance (the default cache is per-process memory). One statement increments a
counter atomically on SQLite and PostgreSQL (INSERT … ON CONFLICT DO UPDATE … RETURNING), so concurrent hits
never lose a count. A counter lives for a fixed window that starts at its first hit.
"""
from __future__ import annotations

import datetime as dt

from django.db import connection, models
from django.utils import timezone


class LimitCounter(models.Model):
    """Hits on one key (e.g. failed logins from an address) inside a window that ends at `expires_at`."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = "限流计数"
        verbose_name_plural = "限流计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


def hit(key: str, *, seconds: int) -> int:
    """Count one hit on `key` and return the hits in its current window (1 for the first)."""
    now = timezone.now()
    table = connection.ops.quote_name(LimitCounter._meta.db_table)
    k, c, e = (connection.ops.quote_name(name) for name in ("key", "count", "expires_at"))
    new_expiry = connection.ops.adapt_datetimefield_value(now + dt.timedelta(seconds=seconds))
    now_value = connection.ops.adapt_datetimefield_value(now)
    # A window that has run out starts again at 1 in the same statement, so no reader sees a stale count.
    sql = (
        f"INSERT INTO {table} ({k}, {c}, {e}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({k}) DO UPDATE SET "
        f"{c} = CASE WHEN {table}.{e} <= %s THEN 1 ELSE {table}.{c} + 1 END, "
        f"{e} = CASE WHEN {table}.{e} <= %s THEN excluded.{e} ELSE {table}.{e} END "
        f"RETURNING {c}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key[:200], new_expiry, now_value, now_value])
        count = cursor.fetchone()[0]
    if count == 1:
        # A new window: drop windows that ran out, so the table holds only live keys.
        LimitCounter.objects.filter(expires_at__lte=now).exclude(key=key[:200]).delete()
    return count


def peek(key: str) -> int:
    """Hits on `key` in its current window, without counting one."""
    row = LimitCounter.objects.filter(key=key[:200], expires_at__gt=timezone.now()).values_list("count", flat=True)
    return next(iter(row), 0)


def reset(key: str) -> None:
    """Forget the hits on `key` (e.g. after the right password)."""
    LimitCounter.objects.filter(key=key[:200]).delete()


def exceeded(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit and say whether the window now holds more than `limit` hits."""
    return hit(key, seconds=seconds) > limit
