from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The case layer: kind declarations, the engine, deadlines, numbering, the transition log, attachments,
    the generic case pages, queues and API, notifications of case events."""

    name = "pingan.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import notify

        register_capability("calendar.edit", {Role.DISTRICT_ADMIN})
        register_capability("workflow.rules", {Role.DISTRICT_ADMIN})
        registry.nav("workflow-rules", "流程规则", "cases:rules", order=89, capability="workflow.rules")
        registry.nav("calendar", "节假日日历", "cases:calendar", order=90, data_kind="reference",
                     roles={Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        notify.connect()
