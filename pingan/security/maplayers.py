"""The cameras' layer of the map (pingan/geo/layers.py): each camera with a point (雪亮工程), linking to its page."""
from django.urls import reverse

from pingan.geo.layers import point_layer, query_string

from .choices import CameraType
from .models import Camera


def _installed_by(qs, params):
    # Cameras are standing equipment: the period shows those installed by its end (or of unknown date).
    if params.end:
        from django.db.models import Q

        qs = qs.filter(Q(installed_on__isnull=True) | Q(installed_on__lte=params.end))
    return qs


def _list_url(place, start, end, category):
    return reverse("security:cameras_list") + "?" + query_string(place=place, camera_type=category)


point_layer("cameras", "视频监控探头", model=Camera, category_field="camera_type", categories=CameraType.choices,
            detail="security:cameras_detail", title=lambda cam: f"{cam.code} {cam.name}",
            subtitle=lambda cam: f"{cam.get_camera_type_display()} · {cam.get_status_display()}"
                                 f"{' · 高清' if cam.hd else ''}{' · 联网' if cam.networked else ''}",
            list_url=_list_url, density=False, extra=_installed_by, order=60)
