from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pingan.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from pingan.core import registry

        from . import panels  # noqa: F401  (registers the home-page panels)

        registry.nav("accounts", "账号管理", "accounts:user_list", order=90, capability="accounts.list")
        registry.nav("departments", "部门", "accounts:department_list", order=91, data_kind="directory",
                     capability="departments.read")
