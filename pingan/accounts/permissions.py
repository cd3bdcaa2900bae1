"""What each role may do: one table, read by `user.can(capability)` and `user.may_see_data_kind(kind)`.

Three-role separation (等保 2.0 8.1.5): the 审计管理员 reads the audit log and nothing else; the 安全管理员
manages accounts and sees no case or person data; neither can do the other's work, and an account holds
exactly one role.
"""
from __future__ import annotations

from .choices import Role

ALL_WORKING = {
    Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER, Role.GRID_WORKER,
    Role.MEDIATOR, Role.DEPT_HANDLER, Role.LEADER,
}

# How each role reaches rows of each kind of data (core.scoping). The one table behind `visible_to`:
# - PLACE: rows at or under the user's scope node (plus rows assigned to the user's department or to the user);
# - ASSIGNED: only rows assigned to the user's department or to the user, wherever they are (a department's
#   handler works the cases dispatched to it, not the county's registers);
# - a kind missing from a role's row: nothing of that kind.
# Kinds: "directory" (the jurisdiction tree, departments, accounts), "reference" (configuration and records
# about places: event categories, dispatch rules, liaison points), "case" (events, hazards …), "person"
# (people registers, special populations, visits, funds), "health" (the rows of person data that are health
# data, PIPL Art.28: the health kinds' enrolments, their details and visits, treatment, fund spending on them),
# "clue" (the clues of special campaigns, 扫黑除恶 / 村霸整治: reports often about the village's own cadres that
# name the reporter, so 举报线索保密 keeps them from the village and the grid; the case layer's rows about a
# clue go with it), "audit" (the audit trail).
PLACE = "place"
ASSIGNED = "assigned"

_EVERYTHING_BY_PLACE = {"directory": PLACE, "reference": PLACE, "case": PLACE, "person": PLACE, "health": PLACE}
# Campaign clues: read where it is the duty to verify and oversee them (the township office, the centre, the
# leaders) and by the unit a clue is handed to; not by the village officer, the grid worker or the mediator,
# who live among the people a clue is about.
_CLUES_BY_PLACE = {"clue": PLACE}
DATA_ACCESS: dict[str, dict[str, str]] = {
    Role.DISTRICT_ADMIN: {**_EVERYTHING_BY_PLACE, **_CLUES_BY_PLACE},
    Role.CENTER_STAFF: {**_EVERYTHING_BY_PLACE, **_CLUES_BY_PLACE},
    Role.TOWNSHIP_OFFICER: {**_EVERYTHING_BY_PLACE, **_CLUES_BY_PLACE},
    Role.VILLAGE_OFFICER: dict(_EVERYTHING_BY_PLACE),
    Role.GRID_WORKER: dict(_EVERYTHING_BY_PLACE),
    # Mediators work disputes between people; health data is not their business.
    Role.MEDIATOR: {"directory": PLACE, "reference": PLACE, "case": PLACE, "person": PLACE},
    Role.DEPT_HANDLER: {"directory": PLACE, "reference": PLACE, "case": ASSIGNED, "clue": ASSIGNED},
    # Leaders read cases and registers for their place; individual health records are not needed for that.
    Role.LEADER: {"directory": PLACE, "reference": PLACE, "case": PLACE, "person": PLACE, **_CLUES_BY_PLACE},
    # Three-role separation: the auditor reads the audit trail only, the security admin the accounts (and the
    # tree and departments they hang on) only.
    Role.AUDITOR: {"audit": PLACE},
    Role.SECURITY_ADMIN: {"directory": PLACE},
}

# Kinds of data each role may read at all (derived from DATA_ACCESS; scope still limits which rows).
DATA_KINDS: dict[str, set[str]] = {role: set(kinds) for role, kinds in DATA_ACCESS.items()}


def data_access(role: str, kind: str) -> str | None:
    """How `role` reaches rows of `kind`: PLACE, ASSIGNED or None (not at all)."""
    return DATA_ACCESS.get(role, {}).get(kind)


def roles_with_access(kind: str) -> set[str]:
    return {role for role, kinds in DATA_ACCESS.items() if kind in kinds}


CAPABILITIES: dict[str, set[str]] = {
    # The jurisdiction tree: pilot flags are set by the district.
    "geo.edit_pilot": {Role.DISTRICT_ADMIN},
    "geo.edit_liaison": {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER},
    # Accounts are the security administrator's, audit the auditor's.
    "accounts.manage": {Role.SECURITY_ADMIN},
    "audit.read_log": {Role.AUDITOR},
    "departments.read": ALL_WORKING | {Role.SECURITY_ADMIN},
    "departments.manage": {Role.DISTRICT_ADMIN},
    # Grids and their staff: the district and the township office keep them current.
    "geo.manage_grids": {Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER},
    # The map: every working role (each layer is further limited by its data kind and by scope). Loading a
    # county's boundary file: the district's system administrator (from the command line).
    "geo.map": set(ALL_WORKING),
    "geo.load_boundaries": {Role.DISTRICT_ADMIN},
    # Writing case data: everybody who works cases; leaders read only.
    "data.write": ALL_WORKING - {Role.LEADER},
    # Contacts' phones kept in plaintext (a hazard's responsible person, an enrolment's) are shown in full to
    # these roles, masked to everyone else (core templatetags personal_data.phone_for).
    "personal.reveal": {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER},
    # Health data (PIPL Art.28), for pages and services that must say so: the roles DATA_ACCESS gives it to.
    "people.read_health": roles_with_access("health"),
    "api.token": ALL_WORKING | {Role.AUDITOR},
    # Three-role separation (三员分立) of account work: the 系统管理员 keeps the working accounts (create, edit,
    # reset a password), the 安全管理员 only their security state (unlock, deactivate, expiry, second factor).
    # Admin accounts (system, security, audit) are kept from the command line only (manage.py admin_account).
    "accounts.list": {Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN},
    "accounts.administer": {Role.DISTRICT_ADMIN},
    "accounts.secure": {Role.SECURITY_ADMIN},
}


def role_can(role: str, capability: str) -> bool:
    return role in CAPABILITIES.get(capability, set())


def register_capability(name: str, roles: set[str]) -> None:
    """Modules add their capabilities here from AppConfig.ready()."""
    CAPABILITIES.setdefault(name, set()).update(roles)
