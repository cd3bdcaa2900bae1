from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "pingan.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # A campaign is set up by the centre (district-wide) or a township office (its own township).
        register_capability("campaigns.manage", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER})
        # Clues: received, verified and handed over by the township office or the centre; the receiving unit
        # (police or discipline inspection) closes them with the result, as does the township office.
        register_capability("campaigns.register_clue", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF,
                                                        Role.TOWNSHIP_OFFICER})
        register_capability("campaigns.verify", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER})
        register_capability("campaigns.close", {Role.DEPT_HANDLER, Role.TOWNSHIP_OFFICER})
        register_capability("campaigns.supervise", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        register_capability("campaigns.approve_extension", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        register_capability("campaigns.tag", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER})
        registry.nav("campaigns", "专项行动", "campaigns:campaign_list", order=104, data_kind="reference")
        registry.nav("campaigns_clues", "专项行动线索", "campaigns:list", order=105, data_kind="clue",
                     roles={Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER, Role.DEPT_HANDLER,
                            Role.LEADER})
