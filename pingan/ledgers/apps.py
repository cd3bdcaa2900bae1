from django.apps import AppConfig


class LedgersConfig(AppConfig):
    """Ledger import/export: above geo (places), accounts (the CLI's --user, denials) and jobs (the web pages'
    background checks, imports and exports, whose handlers this app registers with jobs)."""

    name = "pingan.ledgers"
    label = "ledgers"
    verbose_name = "台账导入导出"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import jobs, registry as ledger_registry

        # Ledgers: the district and townships exchange them; villages import their own; leaders read exports.
        importers = {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER}
        register_capability("ledgers.import", importers)
        register_capability("ledgers.export", importers | {Role.LEADER})
        registry.nav("ledgers", "台账导入导出", "ledgers:index", order=80, data_kind="case", capability="ledgers.export")
        registry.object_type_labeler("ledger.", ledger_registry.object_label)
        jobs.register_handlers()
