"""Start-up registrations of the workflow engine and the calendar (called from CoreConfig.ready)."""


def register() -> None:
    from pingan.accounts.choices import Role
    from pingan.accounts.permissions import register_capability
    from pingan.core import registry

    register_capability("calendar.edit", {Role.DISTRICT_ADMIN})
    register_capability("workflow.rules", {Role.DISTRICT_ADMIN})
    registry.nav("workflow-rules", "流程规则", "core:workflow_rules", order=89, capability="workflow.rules")
    registry.nav("calendar", "节假日日历", "core:calendar", order=90, data_kind="reference",
                 roles={Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
