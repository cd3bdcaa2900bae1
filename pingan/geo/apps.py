from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "pingan.geo"
    label = "geo"
    verbose_name = "辖区网格"

    def ready(self) -> None:
        from pingan.core import registry

        from . import panels  # noqa: F401  (registers the home-page panels)

        registry.nav("geo", "辖区网格", "geo:tree", order=10, data_kind="directory")
        registry.nav("geo-liaison", "治安联络点", "geo:liaison_list", order=11, data_kind="reference")
