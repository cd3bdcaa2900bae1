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


def pass_second_factor(client, user) -> None:
    """What a real login leaves in the session, for a test client that used force_login: an account whose
    role must use a second factor gets a confirmed authenticator and a session that passed it; any other
    account without one is marked as such. (accounts/tests/test_second_factor.py drives the real flow.)"""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .middleware import NO_SECOND_FACTOR
    from .services import second_factor_required

    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and second_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    else:
        session[NO_SECOND_FACTOR] = time.time()
    session.save()
