"""The petitions' layer of the map (pingan/geo/layers.py). A petition has no point, only its 问题属地 (a village
or a township), so the map counts petitions per village and links each village to the filtered list."""
from django.urls import reverse

from pingan.geo.layers import area_layer, query_string

from . import choices as c
from .models import Petition


def _petitions(user, params):
    qs = Petition.objects.visible_to(user).filter(jurisdiction__path__startswith=params.node.path)
    if params.start:
        qs = qs.filter(registered_on__gte=params.start)
    if params.end:
        qs = qs.filter(registered_on__lte=params.end)
    if params.category:
        qs = qs.filter(petition_type=params.category)
    return qs


def _list_url(place, start, end, category):
    return reverse("petitions:list") + "?" + query_string(place=place, registered_from=start, registered_to=end,
                                                          petition_type=category)


area_layer("petitions", "信访问题属地", queryset=_petitions, data_kind=Petition.scope_data_kind, level="village",
           categories=c.PetitionType.choices, list_url=_list_url, density=True, order=40,
           help="信访事项按问题属地（村、社区）统计件数；属地为乡镇的不落到村。")
