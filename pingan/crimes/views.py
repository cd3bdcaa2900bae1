"""Crime statistics pages: the summary (刑事案件统计: 同比 and 环比 by category and township), its xlsx export,
the entry grid (one township's month), and the 八类 configuration."""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pingan.core import audit

from . import selectors, services
from .access import may_configure, may_enter, may_read
from .choices import PRESETS
from .forms import EntryForm, PeriodForm
from .models import CrimeCategory, CrimeCount
from .months import this_month
from .templatetags.crime_tags import trend_text


def _require(request, check, message: str) -> None:
    if not check(request.user):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied(message)


def _errors(form) -> list[str]:
    return [m for errors in form.errors.values() for m in errors]


def _period(request):
    """(form, Summary or None) from ?date_from=&date_to=&township= (months YYYY-MM, a township code)."""
    today = this_month()
    # The period the page shows when nothing is asked (this year so far) stands in the month boxes too.
    form = PeriodForm(request.GET or None, townships=selectors.township_choices(request.user),
                      initial={"date_from": f"{today.replace(month=1):%Y-%m}", "date_to": f"{today:%Y-%m}"})
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    first = data.get("date_from") or today.replace(month=1)
    last = data.get("date_to") or today
    node = data.get("township") or selectors.default_node(request.user)
    if node is None:
        return form, None
    return form, selectors.summary(request.user, first, last, node)


@login_required
def summary(request):
    _require(request, may_read, "您的角色不能查看刑事案件统计。")
    form, table = _period(request)
    return render(request, "crimes/summary.html", {
        "form": form, "table": table, "errors": _errors(form) if form.is_bound else [],
        "may_enter": may_enter(request.user), "may_configure": may_configure(request.user),
        "query": request.GET.urlencode(),
    }, status=400 if form.is_bound and form.errors else 200)


def summary_rows(table) -> list[list]:
    """The summary as sheet rows: by category (with 八类 subtotal and total), a blank line, by township."""
    head = ["案件类别", "本期", "去年同期", "同比", "上期", "环比"]
    rows = [[f"{table.node.name} 刑事案件统计 {table.first:%Y-%m} 至 {table.last:%Y-%m}"], head]
    for line in [*table.categories, table.serious, table.total]:
        name = line.label + ("（八类）" if line.serious else "")
        rows.append([name, line.current, line.year_ago, trend_text(line.yoy), line.prior, trend_text(line.mom)])
    rows += [[], ["乡镇（街道）", "本期", "去年同期", "同比", "上期", "环比", "八类本期", "八类去年同期", "八类同比"]]
    for line in table.townships:
        rows.append([line.label, line.current, line.year_ago, trend_text(line.yoy), line.prior, trend_text(line.mom),
                     line.serious_current, line.serious_year_ago, trend_text(line.serious_yoy)])
    return rows


@login_required
def summary_download(request):
    """The summary as .xlsx, a direct download: it is a table of well under 1000 cells (13 categories and a
    county's townships), so no background job. Audited as an export."""
    _require(request, may_read, "您的角色不能导出刑事案件统计。")
    form, table = _period(request)
    if table is None:
        return render(request, "crimes/summary.html", {"form": form, "table": None, "errors": _errors(form)},
                      status=400)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "刑事案件统计"
    for row in summary_rows(table):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    audit.record(actor=request.user, action="crimes.export", object_type="crimes.crimecount",
                 scope_path=table.node.path,
                 detail=f"导出刑事案件统计 {table.node.name} {table.first:%Y-%m} 至 {table.last:%Y-%m}")
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"crimes-{table.node.code}-{table.first:%Y%m}-{table.last:%Y%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def entry(request):
    """填报: every category of one township's month on one page. GET ?township=&month= loads what is there."""
    _require(request, may_enter, "您的角色不能填报刑事案件统计。")
    townships = selectors.township_choices(request.user)
    cats = list(selectors.categories())
    if request.method == "POST":
        form = EntryForm(request.POST, townships=townships, categories=cats)
        if form.is_valid():
            counts = {c: form.cleaned_data[f"count_{c.code}"] for c in cats}
            try:
                changed = services.crime_counts_set(actor=request.user, month=form.cleaned_data["month"],
                                                    township=form.cleaned_data["township"], counts=counts,
                                                    source=form.cleaned_data["source"])
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                township, month = form.cleaned_data["township"], form.cleaned_data["month"]
                messages.success(request, f"{township.name} {month:%Y年%m月} 立案数已保存（{changed} 项有变动）。")
                return redirect(f"{request.path}?township={township.code}&month={month:%Y-%m}")
        return render(request, "crimes/entry.html", {"form": form}, status=400)
    initial = {"month": request.GET.get("month", "")[:20] or f"{this_month():%Y-%m}"}
    township = townships.filter(code=request.GET.get("township", "")[:15]).first() or \
        (townships.first() if townships.count() == 1 else None)
    if township is not None:
        initial["township"] = township.code
        month, _reason = services.check_month(initial["month"])
        if month is not None:
            rows = CrimeCount.objects.visible_to(request.user).filter(jurisdiction=township, month=month)
            for code, count in rows.values_list("category__code", "count"):
                initial[f"count_{code}"] = count
    form = EntryForm(initial=initial, townships=townships, categories=cats)
    return render(request, "crimes/entry.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def categories(request):
    """口径配置: which categories count as 八类; one button applies either list."""
    _require(request, may_read, "您的角色不能查看刑事案件类别。")
    cats = list(CrimeCategory.objects.order_by("order", "code"))
    if request.method == "POST":
        _require(request, may_configure, "您的角色不能修改八类案件口径。")
        try:
            if request.POST.get("preset"):
                changed = services.crime_categories_apply_preset(actor=request.user, preset=request.POST["preset"])
            else:
                codes = set(request.POST.getlist("serious"))
                changed = services.crime_categories_set_serious(actor=request.user, codes=codes)
        except ValidationError as exc:
            return render(request, "crimes/categories.html", {
                "categories": cats, "presets": PRESETS.items(), "may_configure": True,
                "errors": [m for msgs in exc.message_dict.values() for m in msgs]}, status=400)
        messages.success(request, f"八类案件口径已保存（变动：{'、'.join(changed) or '无'}）。")
        return redirect("crimes:categories")
    return render(request, "crimes/categories.html", {"categories": cats, "presets": PRESETS.items(),
                                                       "may_configure": may_configure(request.user)})
