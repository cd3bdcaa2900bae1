from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """社会治安: 群防群治 forces, liaison-point coverage, cameras, training (GB/T 31000 4.6)."""

    name = "pingan.security"
    label = "security"
    verbose_name = "社会治安"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # Teams, cameras and training are kept by the district centre and the township and village offices for
        # their own place (scope limits the rows); leaders read; grid workers do not keep teams' records.
        register_capability("security.manage", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER,
                                                Role.VILLAGE_OFFICER})
        registry.nav("security-teams", "群防群治", "security:teams_list", order=100, data_kind="reference")
        registry.nav("security-cameras", "视频监控", "security:cameras_list", order=101, data_kind="reference")
        registry.nav("security-training", "教育培训", "security:sessions_list", order=102, data_kind="reference")
        from . import panels  # noqa: F401  (registers the home panel)
