"""The calendar page: a year's holidays and adjusted working days; the district admin edits them."""
from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core import audit
from pingan.core.models import CalendarDay
from pingan.core.services import validation_message
from pingan.core.views import require_capability

from pingan.core.calendar import data, services, working_days_between


class DayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": "请填写日期。", "invalid": "日期格式不正确，应为 YYYY-MM-DD。"})
    is_workday = forms.TypedChoiceField(label="这一天", choices=[("0", "放假"), ("1", "上班（调休）")],
                                        coerce=lambda v: v == "1",
                                        error_messages={"required": "请选择放假或上班。", "invalid_choice": "请选择放假或上班。"})
    name = forms.CharField(label="名称", max_length=40, error_messages={"required": "请填写名称。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and "date" in self.data:
            copy = self.data.copy()
            copy["date"] = unicodedata.normalize("NFKC", copy["date"]).strip().replace("/", "-").replace(".", "-")
            self.data = copy


def _year(request) -> int:
    raw = unicodedata.normalize("NFKC", request.GET.get("year", "") or "").strip()
    try:
        year = int(raw) if raw else timezone.localdate().year
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):

    year = _year(request)
    can_edit = request.user.can("calendar.edit")
    form = DayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            audit.denied(user=request.user, path=request.path)
            raise PermissionDenied("只有区综治中心管理员可以修改节假日日历。")
        if form.is_valid():
            try:
                day = services.calendar_day_save(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, validation_message(exc))
            else:
                messages.success(request, f"已保存：{day}。")
                return redirect(f"{request.path}?year={day.date.year}")
        status = 400
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    first, last = dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
    return render(request, "cases/calendar.html", {
        "year": year, "days": days, "form": form, "can_edit": can_edit,
        "workdays": working_days_between(first, last), "years": range(data.FIRST_YEAR, data.LAST_YEAR + 2),
        "official": year in data.NOTICES, "source": data.NOTICES.get(year, ("", []))[0],
    }, status=status)


@require_capability("calendar.edit")
@require_POST
def calendar_delete(request):
    raw = unicodedata.normalize("NFKC", request.POST.get("date", "")).strip()
    try:
        day = dt.date.fromisoformat(raw)
        services.calendar_day_delete(actor=request.user, date=day)
    except ValueError:
        messages.error(request, "日期格式不正确，应为 YYYY-MM-DD。")
        return render(request, "400.html", status=400)
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
        return render(request, "400.html", status=400)
    messages.success(request, f"已删除 {day:%Y-%m-%d} 的设置，该日按星期几恢复上班或休息。")
    return redirect(f"{reverse('cases:calendar')}?year={day.year}")
