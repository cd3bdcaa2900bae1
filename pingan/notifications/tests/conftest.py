import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """with committed(): ... — the on-commit work (the channels, SMS) runs at the end of the block, as it
    would when the request's transaction commits (a test runs inside one transaction that never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def receiver():
    """The case layer's receiver, attached for the test (CasesConfig.ready() attaches it in the app)."""
    from pingan.cases import notify

    notify.connect()
    yield notify
    notify.disconnect()


@pytest.fixture
def make_event(world):
    """make_event(side="a", **fields): an event row written directly (the engine is not under test here)."""
    from django.utils import timezone

    from pingan.events.models import Category, Event

    category = Category.objects.create(jurisdiction=world.county, code="9901", name="测试类别")
    made = []

    def _make(side="a", **fields):
        data = {"number": f"SJTEST{len(made) + 1:04d}", "category": category, "jurisdiction": world.grid(side),
                "description": "路口积水，联系人 13912345678", "reported_at": timezone.now(), "state": "dispatched"}
        data.update(fields)
        event = Event.objects.create(**data)
        made.append(event)
        return event

    return _make
