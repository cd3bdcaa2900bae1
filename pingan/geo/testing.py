"""Leak-test factories for the jurisdiction models."""
from pingan.core.testing import leak_factory

from .models import LiaisonPoint, Node


@leak_factory(Node)
def _node(world, side):
    return world.village(side)


@leak_factory(LiaisonPoint)
def _liaison(world, side):
    return LiaisonPoint.objects.create(jurisdiction=world.village(side), name=f"{world.village(side).short_name}治安联络点",
                                       contact_name=f"联络员{side}")
