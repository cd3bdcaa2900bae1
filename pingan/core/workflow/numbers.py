"""Readable case numbers: prefix + township code + yyyymmdd + 3-digit sequence (YH140311101202403150001…).

The counter row of (prefix, township, day) is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers) inside the creating transaction, so two registrations at the
same moment get consecutive numbers and a rolled-back registration gives its number back.
"""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F


def next_case_number(prefix: str, township_code: str, day: dt.date) -> str:
    from pingan.core.models import CaseCounter

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_case_number 必须在创建案件的事务内调用。")
    lookup = {"prefix": prefix, "township_code": township_code, "day": day}
    updated = CaseCounter.objects.filter(**lookup).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                CaseCounter.objects.create(**lookup, last=1)
        except IntegrityError:  # another transaction created the row first: take the next number after it
            CaseCounter.objects.filter(**lookup).update(last=F("last") + 1)
    last = CaseCounter.objects.filter(**lookup).values_list("last", flat=True).get()
    return f"{prefix}{township_code}{day:%Y%m%d}{last:03d}"
