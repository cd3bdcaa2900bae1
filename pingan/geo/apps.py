from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "pingan.geo"
    label = "geo"
    verbose_name = "辖区网格"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import ALL_WORKING, register_capability
        from pingan.core import registry

        from . import panels  # noqa: F401  (registers the home-page panels)

        # The map: every working role (each layer is further limited by its data kind and by scope).
        register_capability("geo.map", set(ALL_WORKING))
        # Loading a county's boundary file: the district's system administrator (from the command line).
        register_capability("geo.load_boundaries", {Role.DISTRICT_ADMIN})
        registry.nav("geo", "辖区网格", "geo:tree", order=10, data_kind="directory")
        registry.nav("geo-map", "综治地图", "geo:map", order=12, data_kind="reference", capability="geo.map")
        registry.nav("geo-liaison", "治安联络点", "geo:liaison_list", order=11, data_kind="reference")
        registry.action_label("boundary.create", "载入辖区边界")
        registry.action_label("boundary.update", "更新辖区边界")
