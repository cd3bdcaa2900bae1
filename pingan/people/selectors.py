"""Reads of the people module, always from `visible_to(user)`; counts and groupings in SQL."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from pingan.core import personal

from .models import Household, Person, RentalHouse, SpecialEnrollment, Visit


def today() -> dt.date:
    return dt.date.today()


def week_end(day: dt.date | None = None) -> dt.date:
    """The Sunday of the current week."""
    day = day or today()
    return day + dt.timedelta(days=6 - day.weekday())


def people(user: Any):
    return Person.objects.visible_to(user).select_related("jurisdiction", "jurisdiction__parent")


# Exact-number lookups a person may make in an hour. A masked number leaves tens of thousands of candidates;
# this keeps anyone from confirming them one by one, and every lookup is in the audit trail.
LOOKUPS_PER_HOUR = 60


def _lookup_allowed(user: Any, what: str) -> bool:
    """Count and audit one exact lookup by a full ID number or phone; False once the hourly limit is reached.
    The count is the shared protective counter (core.limits), the same one lockouts use."""
    from django.conf import settings

    from pingan.core import audit, limits
    from pingan.core.models import AuditEntry

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    limit = getattr(settings, "PINGAN_PEOPLE_LOOKUPS_PER_HOUR", LOOKUPS_PER_HOUR)
    if limits.exceeded(f"person-lookup:{user.pk}", limit=limit, seconds=3600):
        audit.record(actor=user, action="person.lookup", outcome=AuditEntry.Outcome.FAILURE, object_type="people.person",
                     detail=f"按完整{what}查找超过每小时 {limit} 次的限制")
        return False
    audit.record(actor=user, action="person.lookup", object_type="people.person", detail=f"按完整{what}查找")
    return True


def search_people(qs, q: str, user: Any = None):
    """Search by name, a full ID number, a phone (full), an address, and — for roles that may reveal
    numbers — the last 4 characters of the ID number or phone. Full numbers are matched through their keyed
    hash, never in plaintext; each such lookup is audited and limited per hour (`_lookup_allowed`), so the
    lookup cannot be used to confirm guesses of a masked number. `user` None is the system (no limit)."""
    q = personal.clean_text(q).replace(" ", "")
    if not q:
        return qs
    if len(q) in (15, 18) and q[:-1].isdigit():
        try:
            parsed = personal.parse_id_number(q)
        except Exception:
            return qs.none()
        if user is not None and not _lookup_allowed(user, "证件号码"):
            return qs.none()
        return qs.filter(id_hash=personal.lookup_hash(parsed.value))
    if len(q) == 11 and q.isdigit():
        if user is not None and not _lookup_allowed(user, "联系电话"):
            return qs.none()
        return qs.filter(phone_hash=personal.lookup_hash(q, namespace="phone"))
    condition = Q(name__icontains=q) | Q(current_address__icontains=q) | Q(household_address__icontains=q)
    # The last four characters say more than the mask shows (it keeps two of the ID number): only for roles
    # that may see the whole number anyway.
    may_reveal = user is None or (getattr(user, "can", None) is not None and user.can("people.reveal_id"))
    if len(q) == 4 and q[:3].isdigit() and may_reveal:
        condition |= Q(id_tail=q.upper()) | Q(phone_tail=q)
    return qs.filter(condition)


def households(user: Any):
    return Household.objects.visible_to(user).select_related("jurisdiction", "head").annotate(n_members=Count("members")).order_by("jurisdiction__path", "number")


def rentals(user: Any):
    return RentalHouse.objects.visible_to(user).select_related("jurisdiction", "jurisdiction__parent") \
        .annotate(n_tenants=Count("tenants")).order_by("jurisdiction__path", "address")


def enrollments(user: Any):
    return SpecialEnrollment.objects.visible_to(user).select_related("person", "jurisdiction", "jurisdiction__parent")


def my_visits(user: Any, until: dt.date | None = None):
    """The people this user should visit by `until` (default: the end of this week), overdue first.

    "Mine": enrolments the user is responsible for, and for a grid worker everyone under management in
    the grid. Ordered by the planned date, so overdue visits come first.
    """
    until = until or week_end()
    mine = Q(responsible_users=user)
    if user.scope_id:
        mine |= Q(jurisdiction_id=user.scope_id)
    return enrollments(user).active().filter(mine, next_visit_on__lte=until).distinct().order_by("next_visit_on", "id")


def overdue(user: Any):
    return enrollments(user).active().filter(next_visit_on__lt=today()).order_by("next_visit_on", "id")


def overdue_by_village(user: Any) -> list[dict]:
    """Overdue visits per village (one grouped query); never per grid worker."""
    rows = SpecialEnrollment.objects.visible_to(user).active().filter(next_visit_on__lt=today()) \
        .values("jurisdiction__parent__name", "jurisdiction__parent__parent__name") \
        .annotate(n=Count("id")).order_by("-n", "jurisdiction__parent__name")
    return [{"village": r["jurisdiction__parent__name"], "township": r["jurisdiction__parent__parent__name"], "n": r["n"]}
            for r in rows]


def visit_counts(user: Any) -> dict[str, int]:
    """Active, due this week and overdue, in one aggregate query."""
    day = today()
    return SpecialEnrollment.objects.visible_to(user).active().aggregate(
        active=Count("id"),
        due_week=Count("id", filter=Q(next_visit_on__lte=week_end(day))),
        overdue=Count("id", filter=Q(next_visit_on__lt=day)),
    )


def visits(user: Any):
    return Visit.objects.visible_to(user).select_related("enrollment", "enrollment__person", "jurisdiction")


def kind_counts(user: Any) -> dict[str, int]:
    rows = SpecialEnrollment.objects.visible_to(user).active().values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}
