"""Every API answer matches the OpenAPI schema it publishes (security review finding 13: nullable fields
declared non-null, `/hazards/{id}/log/` declared paginated). Each GET route of the schema — lists, then the
detail and detail actions of the first row — is read as the district administrator and as a grid worker,
over a world where the optional relations are empty, and checked against the schema's types, `nullable`
and `required`. schemathesis (requirements-dev.txt) runs the same check with generated input against a
live server; this test keeps the suite's own net on every route, present and future."""
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def _resolve(schema, spec):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _problems(value, schema, spec, where):
    """What in `value` does not match `schema` (the OpenAPI 3.0 subset drf-spectacular writes)."""
    nullable = schema.get("nullable", False)
    if "allOf" in schema:
        nullable = nullable or any(_resolve(s, spec).get("nullable") for s in schema["allOf"])
        schema = {**_resolve(schema["allOf"][0], spec), "nullable": nullable}
    schema = _resolve(schema, spec) if "$ref" in schema else schema
    nullable = nullable or schema.get("nullable", False)
    if value is None:
        return [] if nullable else [f"{where}: null, declared non-null"]
    if "oneOf" in schema or "anyOf" in schema:
        options = schema.get("oneOf") or schema.get("anyOf")
        results = [_problems(value, option, spec, where) for option in options]
        return [] if any(not r for r in results) else results[0]
    expected = schema.get("type")
    if expected and not isinstance(value, _TYPES[expected]) or expected in ("integer", "number") and isinstance(value, bool):
        return [f"{where}: {type(value).__name__}, declared {expected}"]
    problems = []
    if expected == "array":
        for i, item in enumerate(value[:20]):
            problems += _problems(item, schema.get("items", {}), spec, f"{where}[{i}]")
    if expected == "object" or "properties" in schema:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, declared object"]
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}.{name}: missing, declared required")
        for name, prop in schema.get("properties", {}).items():
            if name in value:
                problems += _problems(value[name], prop, spec, f"{where}.{name}")
    return problems


@pytest.fixture
def sparse_world(world, settings, tmp_path):
    """Rows whose optional relations are empty: an event not yet dispatched (no department), a hazard
    without a responsible department, the county node (no parent), a person without household."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from pingan.core.calendar.loader import load_holidays
    from pingan.events import services
    from pingan.events.testing import make_categories
    from pingan.hazards.testing import make_hazard
    from pingan.people.testing import make_enrollment

    load_holidays()
    cats = make_categories(world)
    services.event_report(actor=world.users["grid_a"], category=cats["garbage"], description="垃圾",
                          attributes={"kind": "living"})
    make_hazard(world, "a", responsible_department=None, jurisdiction=world.grid("a"))
    make_enrollment(world, "a")
    return world


def _routes(spec):
    for path, operations in spec["paths"].items():
        if "get" in operations and path.startswith("/api/v1/"):
            yield path, operations["get"]


def _response_schema(operation):
    content = operation["responses"].get("200", {}).get("content", {})
    return (content.get("application/json") or next(iter(content.values()), {})).get("schema")


@pytest.mark.parametrize("persona", ["district_admin", "grid_a"])
def test_every_get_route_answers_what_its_schema_declares(sparse_world, api, persona):
    spec = SchemaGenerator().get_schema(request=None, public=True)
    client = api(sparse_world.users[persona])
    checked, problems = [], []
    firsts = {}
    routes = list(_routes(spec))
    for path, operation in routes:
        if "{" in path:
            continue
        response = client.get(path)
        if response.status_code != 200:
            continue
        body = response.json()
        checked.append(path)
        problems += _problems(body, _response_schema(operation), spec, path)
        rows = body.get("results") if isinstance(body, dict) else body
        if rows and isinstance(rows, list) and isinstance(rows[0], dict):
            firsts[path] = rows[0]
    for path, operation in routes:
        match = re.match(r"^(/api/v1/[^{]+/)\{(\w+)\}/", path)
        if not match or match.group(1) not in firsts:
            continue
        key = match.group(2)
        row = firsts[match.group(1)]
        value = row.get(key) if key in row else row.get("id")
        if value is None:
            continue
        url = path.replace("{" + key + "}", str(value))
        response = client.get(url)
        if response.status_code != 200:
            continue
        checked.append(path)
        problems += _problems(response.json(), _response_schema(operation), spec, url)
    assert "/api/v1/hazards/{id}/log/" in checked and "/api/v1/events/" in checked and "/api/v1/me/" in checked
    assert problems == []


def test_the_checker_catches_the_two_kinds_of_violation_the_review_found():
    spec = {"components": {"schemas": {"Page": {"type": "object", "required": ["count", "results"],
                                                "properties": {"count": {"type": "integer"},
                                                               "results": {"type": "array", "items": {}}}}}}}
    assert _problems({"name": None}, {"type": "object", "properties": {"name": {"type": "string"}}}, spec, "x") \
        == ["x.name: null, declared non-null"]
    assert _problems({"name": None}, {"type": "object", "properties": {"name": {"type": "string", "nullable": True}}},
                     spec, "x") == []
    assert _problems({"log": []}, {"$ref": "#/components/schemas/Page"}, spec, "log") == [
        "log.count: missing, declared required", "log.results: missing, declared required"]
