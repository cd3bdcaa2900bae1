from django.apps import AppConfig

# Who may do what with people data. Overridable without code: settings.PINGAN_PEOPLE_ROLES =
# {"people.write": ["district_admin", ...]} replaces a capability's roles (see docs/modules/people.md).
DEFAULT_ROLES = {
    # Register and edit people, households, rented houses and special populations.
    "people.write": {"district_admin", "center_staff", "township_officer", "village_officer", "grid_worker"},
    # Record visits: the grid and village staff and the offices above them. Department handlers work the cases
    # dispatched to them and see no registers (accounts.permissions.DATA_ACCESS).
    "people.visit": {"district_admin", "center_staff", "township_officer", "village_officer", "grid_worker"},
    # See the full ID number or phone (each reveal audited with a reason): the district centre and the township
    # office, who verify identities for the registers. Everyone else sees the masked form only.
    "people.reveal_id": {"district_admin", "center_staff", "township_officer"},
    # Health data (PIPL Art.28) is not a capability here: who reads it is the "health" row of
    # accounts.permissions.DATA_ACCESS, which scoping applies to every query.
    "people.manage_rules": {"district_admin"},
    "people.manage_funds": {"district_admin", "center_staff", "township_officer"},
    "people.import": {"district_admin", "center_staff", "township_officer", "village_officer"},
}


class PeopleConfig(AppConfig):
    name = "pingan.people"
    label = "people"
    verbose_name = "实有人口与特殊人群"

    def ready(self) -> None:
        from django.conf import settings

        from pingan.accounts import permissions
        from pingan.core import registry

        overrides = getattr(settings, "PINGAN_PEOPLE_ROLES", {}) or {}
        for capability, roles in DEFAULT_ROLES.items():
            permissions.CAPABILITIES[capability] = set(overrides.get(capability, roles))
        registry.nav("people", "实有人口", "people:person_list", order=30, data_kind="person")
        registry.nav("people-special", "特殊人群", "people:special_list", order=31, data_kind="person")
        registry.nav("people-visits", "走访任务", "people:my_visits", order=32, data_kind="person",
                     capability="people.visit")
        from . import panels  # noqa: F401  (registers the home panel)
