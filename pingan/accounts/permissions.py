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

# Kinds of data (core.scoping) each role may read at all; scope still limits which rows.
DATA_KINDS: dict[str, set[str]] = {role: {"reference", "case", "person"} for role in ALL_WORKING}
DATA_KINDS[Role.AUDITOR] = {"audit"}
DATA_KINDS[Role.SECURITY_ADMIN] = {"reference"}

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
    # Writing case data: everybody who works cases; leaders read only.
    "data.write": ALL_WORKING - {Role.LEADER},
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
