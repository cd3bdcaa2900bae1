"""Jurisdiction pages: the tree with counts, a node's page, pilot flags, liaison points."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.services import validation_message
from pingan.core.views import paginate, require_capability

from . import selectors, services
from .choices import Level
from .forms import GridForm, GridStaffForm, LiaisonPointForm, PilotForm
from .models import LiaisonPoint, Node


def _require_kind(request, kind: str):
    """The tree is "directory" data (the security admin keeps accounts on it); liaison points are "reference"."""
    if not request.user.may_see_data_kind(kind):
        raise PermissionDenied("您的角色不能查看辖区信息。")


@login_required
def tree(request):
    _require_kind(request, "directory")
    root, nested = selectors.tree(request.user)
    return render(request, "geo/tree.html", {"root": root, "nested": nested})


@login_required
@scoped(Node, code="code")
def node_detail(request, code: str):
    _require_kind(request, "directory")
    node = get_visible_or_404(Node.objects.select_related("parent", "grid_leader", "grid_worker"), request.user, code=code)
    ancestors = [a for a in node.ancestors() if a.path.startswith(request.user.scope_path)]
    all_counts = selectors.subtree_counts(node)
    children = selectors.children_with_counts(node, all_counts) if node.level != Level.GRID else []
    grids = node.children.filter(level=Level.GRID).select_related("grid_leader", "grid_worker").order_by("code") \
        if node.is_village else []
    staff = node.users.filter(is_active=True).select_related("department").order_by("role", "username")
    points = LiaisonPoint.objects.visible_to(request.user).filter(jurisdiction__path__startswith=node.path) \
        .select_related("jurisdiction")[:50]
    counts = all_counts[node.path]
    return render(request, "geo/node_detail.html", {
        "node": node, "ancestors": ancestors, "children": children, "grids": grids,
        "staff": staff, "points": points, "counts": counts,
        "can_edit_pilot": request.user.can("geo.edit_pilot") and node.level in (Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY),
        "can_manage_grids": request.user.can("geo.manage_grids"),
    })


@require_capability("geo.edit_pilot")
@require_POST
@scoped(Node, code="code")
def node_pilot(request, code: str):
    node = get_visible_or_404(Node, request.user, code=code)
    form = PilotForm(request.POST)
    form.is_valid()
    try:
        services.node_set_pilot(actor=request.user, node=node, is_pilot=form.cleaned_data.get("is_pilot", False))
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
        return redirect("geo:node", code=node.code)
    messages.success(request, f"{node.name}已{'设为' if node.is_pilot else '取消'}试点。")
    return redirect("geo:node", code=node.code)


@login_required
def pilot_list(request):
    _require_kind(request, "directory")
    nodes = Node.objects.visible_to(request.user).filter(is_pilot=True).select_related("parent").order_by("path")
    return render(request, "geo/pilot_list.html", {"nodes": nodes})


@login_required
def liaison_list(request):
    _require_kind(request, "reference")
    qs = LiaisonPoint.objects.visible_to(request.user).select_related("jurisdiction", "jurisdiction__parent")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(jurisdiction__name__icontains=q)
    villages = selectors.village_choices(request.user).count()
    covered = qs.values("jurisdiction").distinct().count() if not q else None
    return render(request, "geo/liaison_list.html", {"page": paginate(request, qs), "q": q, "villages": villages,
                                                     "covered": covered,
                                                     "can_edit": request.user.can("geo.edit_liaison")})


@login_required
@scoped(LiaisonPoint)
def liaison_detail(request, pk: int):
    _require_kind(request, "reference")
    point = get_visible_or_404(LiaisonPoint.objects.select_related("jurisdiction"), request.user, pk=pk)
    return render(request, "geo/liaison_detail.html", {"point": point,
                                                       "can_edit": request.user.can("geo.edit_liaison")})


@require_capability("geo.edit_liaison")
@require_http_methods(["GET", "POST"])
@scoped(LiaisonPoint)
def liaison_edit(request, pk: int | None = None):
    instance = get_visible_or_404(LiaisonPoint, request.user, pk=pk) if pk else None
    form = LiaisonPointForm(request.POST if request.method == "POST" else None, instance=instance, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            point = services.liaison_point_save(actor=request.user, data=data, instance=instance)
        except ValidationError as exc:
            form.add_error(None, validation_message(exc))
        else:
            messages.success(request, f"治安联络点“{point.name}”已保存。")
            return redirect("geo:liaison_detail", pk=point.pk)
    # A fresh ModelForm instance was mutated by validation; reload for the template title.
    return render(request, "geo/liaison_form.html", {"form": form, "instance": instance},
                  status=400 if form.errors else 200)


@require_capability("geo.manage_grids")
@require_POST
@scoped(Node, code="code")
def grid_add(request, code: str):
    village = get_visible_or_404(Node, request.user, code=code)
    form = GridForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写网格名称。")
        return redirect("geo:node", code=village.code)
    try:
        grid = services.grid_create(actor=request.user, village=village, code=services.next_grid_code(village),
                                    name=form.cleaned_data["name"])
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
        return redirect("geo:node", code=village.code)
    messages.success(request, f"已新增网格“{grid.name}”（{grid.code}），请指定网格长和网格员。")
    return redirect("geo:grid_staff", code=grid.code)


@require_capability("geo.manage_grids")
@require_http_methods(["GET", "POST"])
@scoped(Node, code="code")
def grid_staff(request, code: str):
    grid = get_visible_or_404(Node.objects.select_related("parent"), request.user, code=code, level=Level.GRID)
    initial = {"grid_leader": grid.grid_leader_id, "grid_worker": grid.grid_worker_id}
    form = GridStaffForm(request.POST if request.method == "POST" else None, grid=grid, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.grid_assign_staff(actor=request.user, grid=grid, leader=form.cleaned_data["grid_leader"],
                                       worker=form.cleaned_data["grid_worker"])
        except ValidationError as exc:
            form.add_error(None, validation_message(exc))
        else:
            messages.success(request, f"{grid.name}的人员已更新。")
            return redirect("geo:node", code=grid.code)
    return render(request, "geo/grid_staff.html", {"grid": grid, "form": form}, status=400 if form.errors else 200)


@require_capability("geo.map")
def map_view(request):
    """综治地图: the jurisdiction's boundaries as the base layer (tiles only from an intranet tile server), the
    modules' layers (pingan/geo/layers.py) with period and category filters and the density shading.

    The address may carry the jurisdiction, the period (from, to) and the layers to show (layer=events&layer=…),
    so another page can link to a map already filtered. A place outside the user's scope is a 404; a bad period
    or an unknown layer is said in Chinese above the map, which then opens on the defaults."""
    from django.conf import settings
    from django.http import Http404
    from django.urls import reverse

    from .params import BadRequest

    from . import layers as registry
    from . import mapdata

    _require_kind(request, "reference")
    try:
        node = mapdata.parse_node(request.GET.get("jurisdiction"), request.user)
    except BadRequest as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        node = request.user.scope
    start, end = mapdata.default_period()
    if request.GET.get("from") or request.GET.get("to"):
        try:
            start, end = mapdata.parse_dates(request.GET.get("from"), request.GET.get("to"))
        except BadRequest as exc:
            messages.error(request, exc.message + "地图按近 12 个月显示。")
    available = registry.layers_for(request.user)
    keys = [layer.key for layer in available]
    asked = [str(k)[:40] for k in request.GET.getlist("layer")[:20]]
    unknown = [k for k in asked if k not in keys]
    if unknown:
        messages.error(request, f"没有图层“{unknown[0][:20]}”，或您的角色不能查看它。")
    shown = [k for k in asked if k in keys] or keys[:1]
    config = {
        "boundaries": reverse("api:geo-boundaries"),
        "layer": reverse("api:geo-layer", kwargs={"key": "KEY"}),
        "jurisdiction": node.code,
        "from": start.isoformat(), "to": end.isoformat(),
        "tiles": settings.PINGAN_TILE_URL or "",
        "layers": [layer.describe(request.user) for layer in available],
        "density_of": [{"key": layer.key, "label": layer.label} for layer in available if layer.density],
    }
    return render(request, "geo/map.html", {"node": node, "config": config, "layers": available, "shown": shown,
                                            "start": start, "end": end})
