"""Pages of the one window: the window (find a returning visitor, register, route), a matter's page with its
routing buttons (调解先行), the printed slip with its QR code, the citizen's lookup (no login), the hall log and
its period summary (xlsx), the duty schedule and the 心理服务 appointments."""
from __future__ import annotations

import datetime as dt
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core import audit
from pingan.core.middleware import client_address
from pingan.core.models import AuditEntry
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import require_capability
from pingan.core import limits
from pingan.geo.models import Node

from . import choices as c
from . import selectors, services
from .forms import FollowupForm, LookupForm, NotesForm, PeriodForm, RegisterForm, RouteForm, SlotForm, UnitForm
from .models import Appointment, Counsellor, DutySlot, DutyUnit, HallVisitor, Matter

LOOKUP_LIMIT = (20, 600)   # public lookups per address per 10 minutes: codes cannot be tried one by one
MAX_SUMMARY_DAYS = 3660


def _require_cases(request) -> None:
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看窗口受理事项。")


FIELD_LABELS = {
    "name": "姓名", "phone": "联系电话", "id_number": "公民身份号码", "visitor": "来访人", "channel": "渠道",
    "category": "问题类别", "topic": "事由", "summary": "诉求内容", "window": "受理窗口", "head_count": "来访人数",
    "registered_at": "登记时间", "route": "分流去向", "place": "事项所在地", "other_party": "对方当事人",
    "event_category": "事件类别", "counsellor": "咨询师", "starts_at": "预约时间", "minutes": "时长", "unit": "承接单位",
    "note": "说明", "non_mediation_reason": "未选调解的原因", "reroute_reason": "改派原因", "satisfaction": "满意度",
    "followup_on": "回访日期", "notes": "咨询记录", "status": "状态", "date": "日期", "period": "时段",
    "kind": "入驻方式", "person": "值班人员", "services": "受理事项", "hall": "受理中心",
}


def _errors(exc: ValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {"": exc.messages}
    return {FIELD_LABELS.get(k, k) if k != "__all__" else "": v for k, v in exc.message_dict.items()}


def _form_errors(form) -> dict:
    return {form.fields[k].label if k in form.fields else "": v for k, v in form.errors.items()}


# --------------------------------------------------------------------------------------------- the window
@require_capability("hall.register")
@require_http_methods(["GET", "POST"])
def window(request):
    """Phone-first: one search field for a returning visitor, then the registration form."""
    q = request.GET.get("q", "")[:60]
    found = list(selectors.search_visitors(request.user, q)[:20]) if q else []
    earlier = selectors.visitor_matters(request.user, found) if found else {}
    for visitor in found:
        visitor.earlier = earlier.get(visitor.pk, [])
    form = RegisterForm(request.POST or None)
    errors: dict = {}
    status = 200
    chosen = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data.get("visitor"):
                chosen = HallVisitor.objects.visible_to(request.user).filter(pk=data["visitor"]).first()
                if chosen is None:
                    errors = {"来访人": ["所选来访人不存在或不在您的管辖范围内。"]}
            if not errors:
                try:
                    matter = services.matter_register(actor=request.user, data=data, visitor=chosen)
                except ValidationError as exc:
                    errors = _errors(exc)
                else:
                    messages.success(request, f"已登记，事项码 {matter.code}。请选择分流去向。")
                    return redirect("hall:matter_detail", pk=matter.pk)
        else:
            errors = _form_errors(form)
        status = 400
    elif request.GET.get("visitor"):
        try:
            wanted = int(request.GET["visitor"][:20])
        except (TypeError, ValueError):
            wanted = 0
        chosen = (HallVisitor.objects.visible_to(request.user).filter(pk=wanted).first()
                  if 0 < wanted < 2**62 else None)
    today = timezone.localdate()
    return render(request, "hall/window.html", {
        "q": q, "found": found, "form": form, "errors": errors, "chosen": chosen,
        "on_duty": selectors.on_duty(request.user, today), "today": today,
        "todays": selectors.matters(request.user).filter(registered_at__date=today)[:20],
        "overdue": selectors.overdue_count(request.user),
    }, status=status)


def _route_context(request, matter: Matter) -> dict:
    from pingan.events.models import Category as EventCategory

    places = (Node.objects.visible_to(request.user).filter(level__in=services.CASE_PLACE_LEVELS)
              .order_by("path")[:500])
    return {
        "routes": c.Route.choices, "places": places,
        "event_categories": EventCategory.objects.visible_to(request.user).filter(parent__isnull=False, is_active=True)
                                                 .order_by("code")[:200],
        "counsellors": selectors.counsellors(request.user),
        "can_route": request.user.can("hall.route"),
    }


@login_required
@scoped(Matter)
def matter_detail(request, pk: int, form=None, errors=None, status=200):
    _require_cases(request)
    matter = get_visible_or_404(selectors.matters(request.user), request.user, pk=pk)
    context = {"matter": matter, "progress": selectors.progress(matter), "errors": errors or {},
               "posted": form.data if form is not None else {},
               "earlier": selectors.matters(request.user).filter(visitor=matter.visitor).exclude(pk=matter.pk)[:10]}
    context.update(_route_context(request, matter))
    return render(request, "hall/matter.html", context, status=status)


@require_capability("hall.route")
@require_POST
@scoped(Matter)
def matter_route(request, pk: int):
    matter = get_visible_or_404(Matter, request.user, pk=pk)
    form = RouteForm(request.POST)
    if not form.is_valid():
        return matter_detail(request, pk, form=form, errors=_form_errors(form), status=400)
    data = dict(form.cleaned_data)
    if data.get("place"):
        data["place"] = Node.objects.visible_to(request.user).filter(code=data["place"]).first()
    if data.get("event_category"):
        from pingan.events.models import Category as EventCategory

        data["event_category"] = EventCategory.objects.visible_to(request.user).filter(pk=data["event_category"]).first()
    if data.get("counsellor"):
        data["counsellor"] = Counsellor.objects.visible_to(request.user).filter(pk=data["counsellor"]).first()
    if data.get("starts_at"):
        data["starts_at"] = timezone.make_aware(data["starts_at"]) if timezone.is_naive(data["starts_at"]) \
            else data["starts_at"]
    try:
        matter = services.matter_route(actor=request.user, matter=matter, route=data.pop("route"), data=data,
                                       reroute_reason=data.pop("reroute_reason") or "")
    except ValidationError as exc:
        return matter_detail(request, pk, form=form, errors=_errors(exc), status=400)
    messages.success(request, f"事项 {matter.code} 已分流至{matter.get_route_display()}"
                              + (f"，案件编号 {matter.case_number}" if matter.case_number else "") + "。")
    return redirect("hall:matter_detail", pk=matter.pk)


@require_capability("hall.route")
@require_POST
@scoped(Matter)
def matter_followup(request, pk: int):
    matter = get_visible_or_404(Matter, request.user, pk=pk)
    form = FollowupForm(request.POST)
    if not form.is_valid():
        return matter_detail(request, pk, form=form, errors=_form_errors(form), status=400)
    try:
        services.matter_followup(actor=request.user, matter=matter, note=form.cleaned_data["note"],
                                 satisfaction=form.cleaned_data["satisfaction"])
    except ValidationError as exc:
        return matter_detail(request, pk, form=form, errors=_errors(exc), status=400)
    messages.success(request, "回访已记录，事项已办结。")
    return redirect("hall:matter_detail", pk=matter.pk)


@login_required
@scoped(Matter)
def slip(request, pk: int):
    """The printed slip (回执): the code, the PIN and a QR code of the lookup page. Printing it is audited:
    it carries the PIN that opens the lookup."""
    _require_cases(request)
    if not request.user.can("hall.register"):
        raise PermissionDenied("您的角色不能打印受理回执。")
    matter = get_visible_or_404(selectors.matters(request.user), request.user, pk=pk)
    url = request.build_absolute_uri(reverse("hall:track")) + f"?code={matter.code}"
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff"))
    audit.record(actor=request.user, action="matter.slip", obj=matter, detail="打印受理回执")
    return render(request, "hall/slip.html", {"matter": matter, "qr": qr, "url": url})


# ------------------------------------------------------------------------------------------- public lookup
@require_http_methods(["GET", "POST"])
def track(request):
    """The citizen's lookup (no login): the code and the slip's PIN or the phone's last 4 digits. A wrong pair
    and an unknown code give the same answer; each address has 20 tries per 10 minutes; every try is audited."""
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    matter = info = None
    error, status = "", 200
    if request.method == "POST":
        address = client_address(request)
        if limits.exceeded(f"rl:hall-track:{address}", limit=LOOKUP_LIMIT[0], seconds=LOOKUP_LIMIT[1]):
            error, status = "查询过于频繁，请 10 分钟后再试。", 429
        elif not form.is_valid():
            error, status = "请填写事项码和查询码（或手机号后四位）。", 400
        else:
            code = services.normalize_code(form.cleaned_data["code"])
            candidate = selectors.find_for_lookup(code)
            if candidate is None or not services.lookup_secret_matches(candidate, form.cleaned_data["secret"]):
                audit.record(actor=None, action="matter.lookup", object_type="hall.matter",
                             outcome=AuditEntry.Outcome.FAILURE, detail=f"群众查询未通过（{address}）")
                error, status = "事项码或查询码不正确。", 404
            else:
                audit.record(actor=None, action="matter.lookup", obj=candidate, detail="群众凭事项码查询")
                matter, info = candidate, selectors.progress(candidate)
    return render(request, "hall/track.html", {"form": form, "matter": matter, "info": info, "error": error},
                  status=status)


# ---------------------------------------------------------------------------------------------- the log
def _date(value: str | None, default: dt.date) -> dt.date | None:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@login_required
def log(request):
    """The daily hall log: the day's matters with counts by route and outcome."""
    _require_cases(request)
    today = timezone.localdate()
    day = _date(request.GET.get("date"), today)
    status = 200
    error = ""
    if day is None:
        day, error, status = today, "日期格式不正确，已显示今天。", 400
    qs = selectors.matters(request.user).filter(registered_at__date=day)
    return render(request, "hall/log.html", {
        "day": day, "rows": qs[:500], "counts": selectors.day_counts(qs), "error": error,
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
    }, status=status)


def _period(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"date_from": today.replace(day=1), "date_to": today})
    if not form.is_valid():
        return None, None, "请填写正确的起止日期。"
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if start > end:
        return None, None, "开始日期不能晚于结束日期。"
    if (end - start).days > MAX_SUMMARY_DAYS:
        return None, None, "统计期最长 10 年。"
    return start, end, ""


@login_required
def summary(request):
    """Counts of a period by route × outcome, by channel and by window; an xlsx download of the same table."""
    _require_cases(request)
    start, end, error = _period(request)
    if error:
        return render(request, "hall/summary.html", {"error": error}, status=400)
    qs = selectors.matters(request.user).filter(registered_at__date__gte=start, registered_at__date__lte=end)
    table = selectors.period_table(qs)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, table, start, end)
    return render(request, "hall/summary.html", {"table": table, "start": start, "end": end})


def _xlsx(request, table, start, end) -> HttpResponse:
    """A few dozen aggregate cells: written in the request (not a background job: no rows of records)."""
    from openpyxl import Workbook

    from pingan.ledgers.writers import neutralise

    wb = Workbook()
    ws = wb.active
    ws.title = "分流与办理"
    ws.append([f"窗口受理统计 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"])
    ws.append(["分流去向", *table["statuses"], "合计"])
    for label, cells, total in table["rows"]:
        ws.append([label, *cells, total])
    ws2 = wb.create_sheet("渠道与窗口")
    ws2.append(["渠道", "件数"])
    for label, n in table["channels"]:
        ws2.append([label, n])
    ws2.append([])
    ws2.append(["窗口", "件数"])
    for label, n in table["windows"]:
        ws2.append([neutralise(label), n])
    buffer = io.BytesIO()
    wb.save(buffer)
    audit.record(actor=request.user, action="matter.export", object_type="hall.matter",
                 detail=f"导出窗口受理统计 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}（{table['total']} 件）")
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="hall-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response


# --------------------------------------------------------------------------------------------- duty
@login_required
@require_http_methods(["GET", "POST"])
def duty(request):
    """The week's duty schedule (值班表) of the units in the centre; the centre adds units and slots here."""
    if not request.user.may_see_data_kind("reference"):
        raise PermissionDenied("您的角色不能查看值班安排。")
    today = timezone.localdate()
    day = _date(request.GET.get("week"), today) or today
    monday = day - dt.timedelta(days=day.weekday())
    errors: dict = {}
    status = 200
    if request.method == "POST":
        if not request.user.can("hall.manage_duty"):
            audit.record(actor=request.user, action="dutyslot.create", outcome=AuditEntry.Outcome.FAILURE,
                         detail="无权排班")
            raise PermissionDenied("您的角色不能排班。")
        hall = services.hall_of(request.user)
        try:
            if request.POST.get("what") == "unit":
                form = UnitForm(request.POST)
                if not form.is_valid() or hall is None:
                    raise ValidationError(_form_errors(form) if hall else {"__all__": "只有中心或乡镇账号可以维护入驻单位。"})
                services.duty_unit_create(actor=request.user, hall=hall, data=form.cleaned_data)
            else:
                form = SlotForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_form_errors(form))
                unit = DutyUnit.objects.visible_to(request.user).filter(pk=form.cleaned_data["unit"]).first()
                if unit is None:
                    raise ValidationError({"unit": "所选入驻单位不存在或不在您的管辖范围内。"})
                data = form.cleaned_data
                services.duty_slot_create(actor=request.user, unit=unit, date=data["date"], period=data["period"],
                                          window=data["window"], person=data["person"])
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        else:
            messages.success(request, "已保存。")
            return redirect(f"{reverse('hall:duty')}?week={monday:%Y-%m-%d}")
    return render(request, "hall/duty.html", {
        "week": selectors.week(request.user, monday), "monday": monday,
        "previous": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7),
        "units": selectors.duty_units(request.user), "errors": errors,
        "can_manage": request.user.can("hall.manage_duty"), "kinds": c.DutyKind.choices, "periods": c.Period.choices,
    }, status=status)


@require_capability("hall.manage_duty")
@require_POST
@scoped(DutySlot)
def duty_slot_delete(request, pk: int):
    slot = get_visible_or_404(DutySlot, request.user, pk=pk)
    monday = slot.date - dt.timedelta(days=slot.date.weekday())
    services.duty_slot_delete(actor=request.user, slot=slot)
    messages.success(request, "已取消该值班安排。")
    return redirect(f"{reverse('hall:duty')}?week={monday:%Y-%m-%d}")


# ------------------------------------------------------------------------------------- 心理咨询师名录
def counsellor_context(request, counsellor: Counsellor) -> dict:
    """The detail page's extras for those who keep the 名录: the 停用 button, and no 删除 button once the
    counsellor has appointments (only whether they exist and how many are still to come: nothing else of them)."""
    from .registers import COUNSELLORS

    if not COUNSELLORS.may_write(request.user):
        return {}
    booked = Appointment.objects.visible_to(request.user).filter(counsellor=counsellor).exists()
    context = {"deactivate_url": reverse("hall:counsellors_deactivate", args=[counsellor.pk])
               if counsellor.is_active else "",
               "pending": selectors.pending_appointments(request.user, counsellor) if booked else 0}
    if booked:
        context["delete_url"] = ""
        context["has_appointments"] = True
    return context


@require_capability("hall.manage_duty")
@require_POST
@scoped(Counsellor)
def counsellor_deactivate(request, pk: int):
    """停用 a counsellor: no longer offered for new appointments; the 名录 and the history keep them."""
    counsellor = get_visible_or_404(Counsellor, request.user, pk=pk)
    try:
        services.counsellor_deactivate(actor=request.user, counsellor=counsellor)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("hall:counsellors_detail", pk=counsellor.pk)
    pending = selectors.pending_appointments(request.user, counsellor)
    note = f"该咨询师还有 {pending} 次待进行的预约，请与来访人联系改约。" if pending else ""
    messages.success(request, f"已停用：{counsellor}，不再用于新的心理服务预约。{note}")
    return redirect("hall:counsellors_detail", pk=counsellor.pk)


# ----------------------------------------------------------------------------------------- 心理服务
@login_required
def appointments(request):
    """心理服务 appointments: time, counsellor, status. Notes never appear in the list."""
    if not request.user.may_see_data_kind("health"):
        raise PermissionDenied("您的角色不能查看心理服务预约。")
    qs = selectors.appointments(request.user)
    if request.GET.get("mine") and hasattr(request.user, "counsellor"):
        qs = qs.filter(counsellor__user=request.user)
    return render(request, "hall/appointments.html", {"rows": qs[:200]})


@login_required
@require_http_methods(["GET", "POST"])
@scoped(Appointment)
def appointment_detail(request, pk: int):
    """An appointment. Its counsellor reads and writes the session notes here; nobody else sees them."""
    if not request.user.may_see_data_kind("health"):
        raise PermissionDenied("您的角色不能查看心理服务预约。")
    appointment = get_visible_or_404(selectors.appointments(request.user), request.user, pk=pk)
    own = services.is_counsellor_of(request.user, appointment)
    form = NotesForm(request.POST or None, initial={"status": appointment.status,
                                                    "notes": appointment.notes if own else ""})
    errors: dict = {}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appointment_record(actor=request.user, appointment=appointment,
                                            status=form.cleaned_data["status"], notes=form.cleaned_data["notes"])
            except ValidationError as exc:
                errors, status = _errors(exc), 400
            else:
                messages.success(request, "咨询记录已保存。")
                return redirect("hall:appointment_detail", pk=appointment.pk)
        else:
            errors, status = _form_errors(form), 400
    return render(request, "hall/appointment.html", {"appointment": appointment, "own": own, "form": form,
                                                     "errors": errors}, status=status)
