from django.apps import AppConfig


class CrimesConfig(AppConfig):
    name = "pingan.crimes"
    label = "crimes"
    verbose_name = "刑事案件统计"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # Reading: the centre, the township offices, leaders and the police's handlers (the natural source of the
        # figures; a handler of another department is refused by access.may_read). Grid workers, village
        # officers and mediators have no duty that needs district crime figures.
        register_capability("crimes.read", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER,
                                            Role.DEPT_HANDLER, Role.LEADER})
        register_capability("crimes.enter", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER,
                                             Role.DEPT_HANDLER})
        # Which categories count as 八类 is the district's configuration.
        register_capability("crimes.configure", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        registry.nav("crimes", "刑事案件统计", "crimes:summary", order=103, data_kind="reference",
                     capability="crimes.read")
