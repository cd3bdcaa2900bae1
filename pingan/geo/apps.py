from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "pingan.geo"
    label = "geo"
    verbose_name = "辖区网格"

    def ready(self) -> None:
        from pingan.core import registry

        from . import panels  # noqa: F401  (registers the home-page panels)

        # Capabilities geo.map and geo.load_boundaries are in pingan.accounts.permissions (geo is beneath accounts).
        registry.nav("geo", "辖区网格", "geo:tree", order=10, data_kind="directory")
        registry.nav("geo-map", "综治地图", "geo:map", order=12, data_kind="reference", capability="geo.map")
        registry.nav("geo-liaison", "治安联络点", "geo:liaison_list", order=11, data_kind="reference")
        registry.action_label("boundary.create", "载入辖区边界")
        registry.action_label("boundary.update", "更新辖区边界")
