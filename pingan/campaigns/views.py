"""Campaign pages: the register (list, detail with the progress report, create, edit), the progress report's
xlsx, tagging a matter by its number; the clue list and registration. A clue's page, its steps, 督办, 延期 and
the queue are the generic case pages (pingan/cases/views.py) with the clue's own fields."""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pingan.cases.views import Surface, register_surface
from pingan.core import audit
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate, require_capability

from . import selectors, services
from .filters import ClueFilter
from .forms import ClueForm, TagForm
from .models import Campaign, Clue


def campaign_context(request, campaign: Campaign) -> dict:
    """The campaign page's progress report and its tag form."""
    return {"report": selectors.progress(request.user, campaign), "tag_form": TagForm(),
            "may_tag": request.user.can("campaigns.tag"),
            "may_register": request.user.can("campaigns.register_clue")}


@require_capability("campaigns.tag")
@require_POST
@scoped(Campaign)
def campaign_tag(request, pk: int):
    """添加关联事项: a matter (event, hazard, dispute, petition …) the user may see, by its number."""
    campaign = get_visible_or_404(Campaign.objects.select_related("jurisdiction"), request.user, pk=pk)
    form = TagForm(request.POST)
    if form.is_valid():
        obj = services.find_case(request.user, form.cleaned_data["number"])
        if obj is None:
            form.add_error("number", "找不到该编号的事项，或不在您的管辖范围内。")
        else:
            try:
                services.campaign_tag_add(actor=request.user, campaign=campaign, obj=obj)
            except ValidationError as exc:
                for errs in exc.message_dict.values():
                    form.add_error("number", errs)
            else:
                messages.success(request, f"{obj} 已加入专项行动“{campaign.name}”。")
                return redirect("campaigns:campaign_detail", pk=campaign.pk)
    from pingan.registers import cell

    from .registers import CAMPAIGNS

    context = {"reg": CAMPAIGNS, "title": CAMPAIGNS.title, "obj": campaign,
               "can_write": CAMPAIGNS.may_write(request.user), "list_url": reverse(CAMPAIGNS.route("list")),
               "fields": [(label, cell(campaign, p, request.user)) for label, p in CAMPAIGNS.shown_fields()],
               "edit_url": reverse(CAMPAIGNS.route("edit"), args=[campaign.pk]),
               "history_url": reverse("core:history", args=[CAMPAIGNS.label, campaign.pk]),
               **campaign_context(request, campaign), "tag_form": form}
    return render(request, "campaigns/campaign_detail.html", context, status=400)


def report_rows(campaign: Campaign, report: dict) -> list[list]:
    rows = [[f"{campaign.name} 进展情况"]]
    if report["sees_clues"]:
        c = report["counts"]
        rows += [["线索总数", c["total"]]]
        rows += [[label, n] for label, n in report["states"]]
        rows += [["移交公安", c["to_police"]], ["移交纪检监察", c["to_discipline"]], ["超期未办结", c["overdue"]], [],
                 ["月份", "受理", "移交", "办结"]]
        rows += [[f"{m:%Y-%m}", v["received"], v["handed"], v["closed"]] for m, v in report["timeline"]]
        rows += [[]]
    rows += [["关联事项", "数量", "其中超期"]]
    for group in report["tagged"]:
        rows.append([group["label"], group["total"], group["overdue"]])
        rows += [[f"  {label}", n] for label, n in group["states"]]
    return rows


@login_required
@scoped(Campaign)
def report_download(request, pk: int):
    """The progress report as .xlsx: a summary of a few dozen cells, so a direct download (audited)."""
    campaign = get_visible_or_404(Campaign.objects.select_related("jurisdiction"), request.user, pk=pk)
    report = selectors.progress(request.user, campaign)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "进展情况"
    for row in report_rows(campaign, report):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    audit.record(actor=request.user, action="campaign.export", obj=campaign, detail="导出专项行动进展情况")
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-progress.xlsx"'
    return response


def _require_clues(request):
    """Clues are their own kind of data (举报线索保密): a role without it (the village officer, the grid worker,
    the mediator) is refused the list (audited); a single clue answers 404 through `visible_to`."""
    if not request.user.may_see_data_kind("clue"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色不能查看专项行动线索。")


@login_required
def clue_list(request):
    _require_clues(request)
    filterset = ClueFilter(request.GET or None, queryset=selectors.clue_list(request.user), request=request)
    errors = []
    if filterset.is_bound and not filterset.is_valid():
        errors = [m for errs in filterset.form.errors.values() for m in errs]
        qs = selectors.clue_list(request.user).none()
    else:
        qs = filterset.qs
    return render(request, "campaigns/clue_list.html", {
        "page": paginate(request, qs), "filter": filterset, "errors": errors,
        "campaigns": selectors.campaign_choices(request.user),
        "can_register": request.user.can("campaigns.register_clue"),
    }, status=400 if errors else 200)


@require_capability("campaigns.register_clue")
@require_http_methods(["GET", "POST"])
def clue_create(request):
    form = ClueForm(request.POST or None, campaigns=selectors.campaign_choices(request.user),
                    places=selectors.place_choices(request.user),
                    initial={"campaign": request.GET.get("campaign", "")[:12]})
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.clue_register(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, f"线索 {clue.number} 已受理。")
            return redirect("campaigns:detail", pk=clue.pk)
    return render(request, "campaigns/clue_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, clue: Clue, names: set) -> dict:
    name, phone = selectors.reporter_shown(clue, request.user)
    return {"clue": clue, "reporter_name": name, "reporter_phone": phone}


register_surface(Surface(
    kind="campaigns.clue", namespace="campaigns", detail_template="campaigns/clue_detail.html",
    detail_queryset=selectors.clue_detail_qs, detail_context=_detail_context,
    photo_steps=(), next_steps=("verify", "hand_police", "hand_discipline", "close", "close_discipline"),
    list_columns=(("专项行动", "campaign.name"), ("涉及村(社区)", "jurisdiction.name"),
                  ("移交单位", "handed_to_department.name")),
    title=lambda clue: f"{clue.campaign.name}线索",
))
