"""The jurisdiction's own layer of the map: 治安联络点 (liaison points) with a point."""
from pingan.geo.layers import point_layer

from .models import LiaisonPoint

point_layer("liaison", "治安联络点", model=LiaisonPoint, detail="geo:liaison_detail", title=lambda p: p.name,
            subtitle=lambda p: p.address, density=False, order=50)
