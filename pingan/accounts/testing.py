"""Leak-test factories for accounts and departments."""
from pingan.core.testing import leak_factory

from .models import Department, User


@leak_factory(User)
def _user(world, side):
    return world.users[f"village_{side}"]


@leak_factory(Department)
def _department(world, side):
    return world.departments[f"police_{side}"]
