"""Hazard pages: the register list and registration; a hazard's page, its steps, 督办, 延期 and the work queue
are the generic case pages (pingan/cases/views.py) with the hazard's own fields (hazards/detail.html)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pingan.cases.views import Surface, register_surface
from pingan.core.views import paginate, require_capability

from . import selectors, services
from .filters import HazardFilter
from .forms import HazardForm
from .models import Hazard


def _require_cases(request):
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看风险隐患。")


def _form_errors(form) -> list[str]:
    return [m for errors in form.errors.values() for m in errors]


@login_required
def hazard_list(request):
    _require_cases(request)
    filterset = HazardFilter(request.GET or None, queryset=selectors.hazard_list(request.user), request=request)
    errors = []
    if filterset.is_bound and not filterset.is_valid():
        errors = _form_errors(filterset.form)
        qs = selectors.hazard_list(request.user).none()
    else:
        qs = filterset.qs
    places = selectors.place_choices(request.user).exclude(level="grid")
    return render(request, "hazards/list.html", {
        "page": paginate(request, qs), "filter": filterset, "errors": errors, "places": places,
        "can_register": request.user.can("hazards.register"), "total": None,
    }, status=400 if errors else 200)


@require_capability("hazards.register")
@require_http_methods(["GET", "POST"])
def hazard_create(request):
    form = HazardForm(request.POST or None, request.FILES or None, places=selectors.place_choices(request.user),
                      departments=selectors.department_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            hazard = services.hazard_register(actor=request.user, data=data, photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, f"风险隐患 {hazard.number} 已登记，整治期限 {hazard.rectify_deadline:%Y-%m-%d}。")
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, hazard: Hazard, names: set) -> dict:
    village = hazard.jurisdiction.parent if hazard.jurisdiction.level == "grid" else hazard.jurisdiction
    return {"hazard": hazard, "village": village, "tile_url": settings.PINGAN_TILE_URL}


register_surface(Surface(
    kind="hazards.hazard", namespace="hazards", detail_template="hazards/detail.html",
    detail_queryset=selectors.hazard_detail_qs, detail_context=_detail_context,
    photo_steps=("start", "complete", "accept", "send_back"),
    next_steps=("start", "complete", "accept"),
    list_columns=(("隐患类型", "hazard_type"), ("风险等级", "risk_level"), ("所在地", "jurisdiction.name"),
                  ("责任单位", "responsible_department.name")),
    title=lambda hazard: f"{hazard.get_hazard_type_display()}隐患",
))
