"""Leak-test factories for accounts and departments. Each record carries a marker (core.testing.marked)."""
from django.contrib.auth.hashers import make_password

from pingan.core.testing import TEST_PASSWORD, leak_factory, marked, new_marker

from .choices import Role
from .models import Department, User


@leak_factory(User)
def _user(world, side):
    # A new account rather than a persona: a persona's own name is on every page it opens.
    marker = new_marker()
    user = User.objects.create(username=f"net_{marker.lower()}", role=Role.VILLAGE_OFFICER, scope=world.village(side),
                               password=make_password(TEST_PASSWORD), full_name=f"账号{marker}")
    return marked(user, marker)


@leak_factory(Department)
def _department(world, side):
    marker = new_marker()
    township = world.township(side)
    return marked(Department.objects.create(jurisdiction=township, name=f"{township.name[:2]}{marker}所", category="公安"),
                  marker)

