"""The generic scoping test: every URL pattern and API route, present and future, is walked with the
personas of township A (河底镇) and township B (荫营镇); neither sees the other's records.

- A route with URL keywords must say which model it looks up (a DRF viewset's queryset, or `@scoped` on a
  function view) and that model must have a leak factory (`pingan.core.testing.leak_factory`); else the test
  fails, naming the route: a new route cannot slip in unscoped.
- For such a route, the other township's record answers 404 (or 403/405 for a role that may not use the
  route at all) and the body carries none of its markers; the owner's own persona is not refused with 404.
- A route without keywords (lists, forms, dashboards, API lists) is fetched by the other township's persona
  and must carry none of the first township's markers (names, codes, records' own text).
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pingan.core.testing import LEAK_FACTORIES, UNSCOPED_ROUTES, unscoped_route

SKIP_NAMESPACES = {"admin"}
SKIP_PREFIXES = ("django-admin/", "static/", "media/")
SIDES = (("a", "b"), ("b", "a"))

unscoped_route("accounts:login", "登录页不显示任何辖区数据")
unscoped_route("accounts:logout", "退出只接受 POST，不显示数据")
unscoped_route("schema", "OpenAPI 结构描述，不含数据")
unscoped_route("api-docs", "接口文档页面，不含数据")
unscoped_route("api-redoc", "接口文档页面，不含数据")
unscoped_route("api:me", "只返回调用者本人的信息")


def _discover_testing_modules() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("pingan.") and find_spec(f"{config.name}.testing"):
            import_module(f"{config.name}.testing")


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry


def routes():
    seen = set()
    for route, name, pattern in _walk(get_resolver()):
        if route.startswith(SKIP_PREFIXES) or (name and name.split(":")[0] in SKIP_NAMESPACES):
            continue
        if "<format>" in route or "\\.(?P<format>" in route or "(?P<format>" in route:
            continue  # DRF format suffix duplicates
        key = (route, name)
        if key in seen:
            continue
        seen.add(key)
        yield route, name, pattern


def _model_and_kwargs(pattern: URLPattern) -> tuple[type | None, dict[str, str]]:
    callback = pattern.callback
    cls = getattr(callback, "cls", None)  # DRF
    if cls is not None:
        queryset = getattr(cls, "queryset", None)
        model = queryset.model if queryset is not None else None
        lookup = getattr(cls, "lookup_field", "pk")
        kwarg = getattr(cls, "lookup_url_kwarg", None) or lookup
        return model, {kwarg: lookup}
    view_class = getattr(callback, "view_class", None)
    model = getattr(callback, "scoped_model", None) or getattr(view_class, "model", None)
    return model, getattr(callback, "scoped_kwargs", {"pk": "pk"})


def _kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex.keys())


def _assert_clean(response, markers, where):
    body = response.content.decode("utf-8", "replace")
    leaked = [m for m in markers if m and m in body]
    assert not leaked, f"{where}: 另一乡镇的数据泄露：{leaked}"
    assert response.status_code < 500, f"{where}: 返回 {response.status_code}"


def _persona_users(world, side):
    # The township's widest persona (its officer), its narrowest (a grid worker) and one that also sees by
    # department assignment (the police station's handler). Village officers and mediators see a subset
    # of what the township officer sees through the same scope rule.
    return [world.users[f"{role}_{side}"] for role in ("township", "grid", "handler")]


@pytest.mark.django_db
def test_every_route_is_scoped_between_townships(world, client):
    _discover_testing_modules()
    records = {side: {} for side in ("a", "b")}
    for model, factory in LEAK_FACTORIES.items():
        for side in ("a", "b"):
            records[side][model] = factory(world, side)
    markers = {side: world.markers(side) + [str(obj) for obj in records[side].values() if len(str(obj)) >= 4]
               for side in ("a", "b")}

    problems = []
    checked = 0
    for route, name, pattern in routes():
        kwargs = _kwarg_names(pattern)
        if name in UNSCOPED_ROUTES:
            continue
        if name == "core:history":
            for model in LEAK_FACTORIES:
                for owner, other in SIDES:
                    obj = records[owner][model]
                    url = reverse(name, kwargs={"label": model._meta.label_lower, "pk": obj.pk})
                    for user in _persona_users(world, other):
                        client.force_login(user)
                        response = client.get(url)
                        if response.status_code not in (403, 404):
                            problems.append(f"{url} 对 {user.username} 返回 {response.status_code}")
                        _assert_clean(response, markers[owner], f"{url} ({user.username})")
                        checked += 1
            continue
        if not kwargs:
            if not name:
                problems.append(f"路由 {route} 没有名称，无法检查")
                continue
            try:
                url = reverse(name)
            except Exception as exc:  # a route that cannot be reversed without keywords
                problems.append(f"路由 {name} 无法生成地址：{exc}")
                continue
            for owner, other in SIDES:
                for user in _persona_users(world, other):
                    client.force_login(user)
                    _assert_clean(client.get(url), markers[owner], f"{url} ({user.username})")
                    checked += 1
            continue
        model, kwarg_attrs = _model_and_kwargs(pattern)
        if model is None:
            problems.append(f"路由 {name or route} 带参数 {kwargs}，但没有声明所查模型（@scoped 或 queryset）")
            continue
        if model not in LEAK_FACTORIES:
            problems.append(f"路由 {name or route} 查询 {model._meta.label}，但该模型没有 leak_factory")
            continue
        for owner, other in SIDES:
            obj = records[owner][model]
            try:
                url = reverse(name, kwargs={k: getattr(obj, kwarg_attrs.get(k, k)) for k in kwargs})
            except Exception as exc:
                problems.append(f"路由 {name} 无法为 {model._meta.label} 生成地址：{exc}")
                continue
            for user in _persona_users(world, other):
                client.force_login(user)
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    if response.status_code not in (403, 404, 405):
                        problems.append(f"{method.upper()} {url}（{owner} 镇的记录）对 {user.username} 返回 {response.status_code}")
                    _assert_clean(response, markers[owner], f"{method.upper()} {url} ({user.username})")
                    checked += 1
    assert not problems, "\n".join(problems)
    assert checked > 50, "泄露检查几乎没有检查到任何路由"


@pytest.mark.django_db
def test_the_leak_test_catches_an_unscoped_view(world, client):
    """The markers check is real: the owner's township page does show the markers the test looks for."""
    client.force_login(world.officer("a"))
    body = client.get(reverse("geo:node", kwargs={"code": world.township("a").code})).content.decode()
    assert all(marker in body for marker in world.markers("a")[:2])
    client.force_login(world.officer("b"))
    assert client.get(reverse("geo:node", kwargs={"code": world.township("a").code})).status_code == 404
