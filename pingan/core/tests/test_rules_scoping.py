"""The scoping rule itself (core.scoping.scope_q / place_q), pinned without a database: for a declared model
and a user of each role, the exact condition is written out here. Fast, so `make mutants` can use it."""
from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Q

from pingan.accounts import permissions
from pingan.core.scoping import NOTHING, place_q, scope_q

PATH = "140311/140311101/"


class Case:
    scope_data_kind = "case"
    scope_path_lookup = "jurisdiction__path"
    scope_department_lookup = "assigned_department"
    scope_user_lookup = "reporter"


class Visit:
    scope_data_kind = "person"
    scope_path_lookup = "jurisdiction__path"
    scope_sensitive_rows = {"health": Q(enrollment__kind__in=["mental", "aids"])}


class Category:
    scope_data_kind = "reference"
    scope_path_lookup = "jurisdiction__path"


def user(role, *, active=True, authenticated=True, path=PATH, department_id=None, pk=7):
    return SimpleNamespace(role=role, is_active=active, is_authenticated=authenticated, scope_path=path,
                           department_id=department_id, pk=pk,
                           data_access=lambda kind: permissions.data_access(role, kind) if active else None)


def test_nobody_and_the_inactive_see_nothing():
    assert scope_q(Case, None) == NOTHING
    assert scope_q(Case, user("district_admin", active=False)) == NOTHING
    assert scope_q(Case, user("district_admin", authenticated=False)) == NOTHING


def test_by_place_the_subtree_or_what_is_assigned_to_the_department_or_the_user():
    expected = Q(jurisdiction__path__startswith=PATH) | Q(assigned_department=3) | Q(reporter=7)
    assert scope_q(Case, user("township_officer", department_id=3)) == expected
    assert scope_q(Case, user("township_officer")) == Q(jurisdiction__path__startswith=PATH) | Q(reporter=7)


def test_a_handler_reaches_cases_only_by_assignment_never_by_place():
    assert scope_q(Case, user("dept_handler", department_id=3)) == NOTHING | Q(assigned_department=3) | Q(reporter=7)


def test_roles_without_a_kind_see_none_of_it():
    assert scope_q(Case, user("auditor")) == NOTHING
    assert scope_q(Case, user("security_admin")) == NOTHING
    assert scope_q(Visit, user("dept_handler", department_id=3)) == NOTHING
    assert scope_q(Category, user("security_admin")) == NOTHING


def test_health_rows_inside_person_data_are_cut_for_roles_without_health():
    health = Q(enrollment__kind__in=["mental", "aids"])
    assert scope_q(Visit, user("mediator")) == Q(jurisdiction__path__startswith=PATH) & ~health
    assert scope_q(Visit, user("leader")) == Q(jurisdiction__path__startswith=PATH) & ~health
    assert scope_q(Visit, user("grid_worker")) == Q(jurisdiction__path__startswith=PATH)


def test_a_user_without_a_scope_node_sees_nothing_by_place():
    assert scope_q(Category, user("district_admin", path="")) == NOTHING


def test_configuration_is_also_seen_from_below_but_never_from_the_side():
    ancestors = ["140311/", "140311/140311101/"]
    expected = Q(jurisdiction__path__startswith=PATH) | Q(jurisdiction__path__in=ancestors)
    assert place_q(Category, user("village_officer")) == expected
    assert place_q(Category, user("auditor")) == NOTHING


def test_the_table_written_out():
    table = {role: {kind: permissions.data_access(role, kind)
                    for kind in ("directory", "reference", "case", "person", "health", "audit")}
             for role in ("district_admin", "mediator", "dept_handler", "leader", "auditor", "security_admin")}
    assert table == {
        "district_admin": {"directory": "place", "reference": "place", "case": "place", "person": "place",
                           "health": "place", "audit": None},
        "mediator": {"directory": "place", "reference": "place", "case": "place", "person": "place",
                     "health": None, "audit": None},
        "dept_handler": {"directory": "place", "reference": "place", "case": "assigned", "person": None,
                         "health": None, "audit": None},
        "leader": {"directory": "place", "reference": "place", "case": "place", "person": "place",
                   "health": None, "audit": None},
        "auditor": {"directory": None, "reference": None, "case": None, "person": None, "health": None,
                    "audit": "place"},
        "security_admin": {"directory": "place", "reference": None, "case": None, "person": None, "health": None,
                           "audit": None},
    }


class Bare:
    """A model that declares nothing: a case-kind record found by jurisdiction__path."""


class Account:
    scope_data_kind = "directory"
    scope_path_lookup = "scope__path"


def test_a_model_that_declares_nothing_is_a_case_by_its_jurisdiction():
    assert scope_q(Bare, user("township_officer")) == Q(jurisdiction__path__startswith=PATH)
    assert scope_q(Bare, user("dept_handler", department_id=3)) == NOTHING
    assert scope_q(Bare, user("security_admin")) == NOTHING


def test_configuration_from_below_follows_the_models_own_lookup_and_kind():
    ancestors = ["140311/", "140311/140311101/"]
    expected = Q(scope__path__startswith=PATH) | Q(scope__path__in=ancestors)
    assert place_q(Account, user("security_admin")) == expected
    # A role that reaches the kind only by assignment (none here) or not at all gets nothing from above.
    assert place_q(Bare, user("security_admin")) == NOTHING
    assert place_q(Bare, user("dept_handler", department_id=None)) == NOTHING
