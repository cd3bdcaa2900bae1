from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "pingan.hazards"
    label = "hazards"
    verbose_name = "风险隐患排查整治"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import panels  # noqa: F401  (home panel)

        register_capability("hazards.register", {Role.GRID_WORKER, Role.VILLAGE_OFFICER, Role.TOWNSHIP_OFFICER,
                                                 Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        # 整治: the responsible department's handler (its own hazards only, see workflow.responsible) and the
        # township office; 验收 by the township office or the centre; 督办 from the centre.
        register_capability("hazards.rectify", {Role.DEPT_HANDLER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER})
        register_capability("hazards.accept", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        register_capability("hazards.supervise", {Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        register_capability("hazards.approve_extension", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF,
                                                          Role.DISTRICT_ADMIN})
        registry.nav("hazards", "风险隐患", "hazards:list", order=40, data_kind="case")
        registry.nav("hazards_queue", "我的待办隐患", "hazards:queue", order=41, data_kind="case",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.DEPT_HANDLER,
                            Role.LEADER})
