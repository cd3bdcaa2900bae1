"""People pages: the registry, households, rented houses, special populations, visits (phone pages), rules."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core.scoping import ancestor_paths, get_visible_or_404, scoped
from pingan.core.services import validation_message
from pingan.core.templatetags.personal_data import phone_for
from pingan.core.views import paginate, require_capability

from . import choices as c
from . import filters, selectors, services
from .forms import (
    DeregisterForm, EnrollmentForm, EpisodeForm, HouseholdForm, MemberForm, PersonForm, ReleaseForm, RentalHouseForm,
    RevealForm, SpendForm, VisitForm, detail_form,
)
from .models import Fund, Household, Person, RentalHouse, SpecialEnrollment, VisitRule


def _person_data(request):
    if not request.user.may_see_data_kind("person"):
        raise PermissionDenied("您的角色不能查看人员信息。")


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "message_dict"):
        for field, msgs in exc.message_dict.items():
            target = field if field in form.fields else None
            for msg in msgs:
                form.add_error(target, msg)
    else:
        form.add_error(None, validation_message(exc))


# ----------------------------------------------------------------------------------------------- people
@login_required
def person_list(request):
    _person_data(request)
    flt = filters.PersonFilter(request.GET, queryset=selectors.people(request.user), request=request)
    qs = flt.qs if flt.is_valid() else selectors.people(request.user).none()
    return render(request, "people/person_list.html", {
        "filter": flt, "page": paginate(request, qs), "types": c.PersonType.choices,
        "can_write": request.user.can("people.write")}, status=200 if flt.is_valid() else 400)


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("jurisdiction", "id_number", "doc_number", "phone")}
        try:
            person = services.person_register(actor=request.user, grid=form.cleaned_data["jurisdiction"], data=data,
                                              id_number=form.cleaned_data["id_number"],
                                              doc_number=form.cleaned_data["doc_number"], phone=form.cleaned_data["phone"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已登记：{person.name}。")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": "登记实有人口", "multipart": False},
                  status=400 if form.errors else 200)


@login_required
@scoped(Person)
def person_detail(request, pk: int):
    _person_data(request)
    person = get_visible_or_404(Person.objects.select_related("jurisdiction", "jurisdiction__parent", "household",
                                                              "household__head", "rental_house"), request.user, pk=pk)
    enrollments = SpecialEnrollment.objects.visible_to(request.user).filter(person=person)
    members = person.household.members.visible_to(request.user).order_by("relation", "name") if person.household_id else []
    return render(request, "people/person_detail.html", {
        "person": person, "enrollments": enrollments, "members": members,
        "can_reveal": request.user.can("people.reveal_id"), "can_write": request.user.can("people.write"),
        "kinds": c.SpecialKind.choices, "reveal_form": RevealForm(), "deregister_form": DeregisterForm()})


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
@scoped(Person)
def person_edit(request, pk: int):
    person = get_visible_or_404(Person, request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person, actor=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("jurisdiction", "id_number", "doc_number", "phone")}
        try:
            services.person_update(actor=request.user, person=person, data=data, grid=form.cleaned_data["jurisdiction"],
                                   id_number=form.cleaned_data["id_number"] or None,
                                   doc_number=form.cleaned_data["doc_number"] or None,
                                   phone=form.cleaned_data["phone"] or None)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": f"编辑：{person.name}"},
                  status=400 if form.errors else 200)


@require_POST
@login_required
@scoped(Person)
def person_reveal(request, pk: int):
    """Show the full ID number (or phone) once; the reveal and its reason go to the audit log."""
    _person_data(request)
    person = get_visible_or_404(Person, request.user, pk=pk)
    form = RevealForm(request.POST)
    field = "phone" if request.POST.get("field") == "phone" else "id_number"
    if not form.is_valid():
        return render(request, "people/reveal.html", {"person": person, "form": form}, status=400)
    try:
        reveal = services.person_reveal_phone if field == "phone" else services.person_reveal_id
        value = reveal(actor=request.user, person=person, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _form_errors(form, exc)
        return render(request, "people/reveal.html", {"person": person, "form": form}, status=400)
    response = render(request, "people/reveal.html", {"person": person, "value": value,
                                                      "label": "联系电话" if field == "phone" else person.id_label})
    response["Cache-Control"] = "no-store"
    return response


@require_capability("people.write")
@require_POST
@scoped(Person)
def person_deregister(request, pk: int):
    person = get_visible_or_404(Person, request.user, pk=pk)
    form = DeregisterForm(request.POST)
    if form.is_valid():
        try:
            services.person_deregister(actor=request.user, person=person, on=form.cleaned_data["deregistered_on"],
                                       reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(form, exc)
    if form.errors:
        return render(request, "people/form.html", {"form": form, "title": f"注销：{person.name}"}, status=400)
    messages.success(request, f"{person.name}已注销。")
    return redirect("people:person_detail", pk=person.pk)


# --------------------------------------------------------------------------------- households, rentals
@login_required
def household_list(request):
    _person_data(request)
    flt = filters.HouseholdFilter(request.GET, queryset=selectors.households(request.user))
    return render(request, "people/household_list.html", {"filter": flt, "page": paginate(request, flt.qs),
                                                          "can_write": request.user.can("people.write")})


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
def household_create(request):
    form = HouseholdForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, grid=form.cleaned_data["jurisdiction"],
                                                  number=form.cleaned_data["number"], address=form.cleaned_data["address"],
                                                  household_type=form.cleaned_data["household_type"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("people:household_detail", pk=household.pk)
    return render(request, "people/form.html", {"form": form, "title": "登记户"}, status=400 if form.errors else 200)


@login_required
@scoped(Household)
def household_detail(request, pk: int):
    _person_data(request)
    household = get_visible_or_404(Household.objects.select_related("jurisdiction", "head"), request.user, pk=pk)
    members = household.members.visible_to(request.user).order_by("relation", "name")
    return render(request, "people/household_detail.html", {"household": household, "members": members,
                                                            "form": MemberForm(), "can_write": request.user.can("people.write")})


@require_capability("people.write")
@require_POST
@scoped(Household)
def household_add_member(request, pk: int):
    household = get_visible_or_404(Household, request.user, pk=pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        person = Person.objects.visible_to(request.user).filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            form.add_error("person", "人员不存在或不在您的管辖范围内。")
        else:
            try:
                services.household_add_member(actor=request.user, household=household, person=person,
                                              relation=form.cleaned_data["relation"])
            except ValidationError as exc:
                _form_errors(form, exc)
    if form.errors:
        return render(request, "people/form.html", {"form": form, "title": f"{household}：添加成员"}, status=400)
    return redirect("people:household_detail", pk=household.pk)


@login_required
def rental_list(request):
    _person_data(request)
    flt = filters.RentalHouseFilter(request.GET, queryset=selectors.rentals(request.user))
    return render(request, "people/rental_list.html", {"filter": flt, "page": paginate(request, flt.qs),
                                                       "can_write": request.user.can("people.write")})


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
def rental_create(request):
    form = RentalHouseForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("jurisdiction", "owner_phone")}
        try:
            house = services.rental_house_register(actor=request.user, grid=form.cleaned_data["jurisdiction"], data=data,
                                                   owner_phone=form.cleaned_data["owner_phone"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("people:rental_detail", pk=house.pk)
    return render(request, "people/form.html", {"form": form, "title": "登记出租房屋"}, status=400 if form.errors else 200)


@login_required
@scoped(RentalHouse)
def rental_detail(request, pk: int):
    _person_data(request)
    house = get_visible_or_404(RentalHouse.objects.select_related("jurisdiction", "owner"), request.user, pk=pk)
    tenants = house.tenants.visible_to(request.user).order_by("name")
    return render(request, "people/rental_detail.html", {"house": house, "tenants": tenants,
                                                         "can_write": request.user.can("people.write")})


@require_capability("people.write")
@require_POST
@scoped(RentalHouse)
def rental_add_tenant(request, pk: int):
    house = get_visible_or_404(RentalHouse.objects.select_related("jurisdiction"), request.user, pk=pk)
    raw = (request.POST.get("person") or "").strip()
    person = Person.objects.visible_to(request.user).select_related("jurisdiction").filter(pk=raw).first() \
        if raw.isdigit() else None
    if person is None:
        messages.error(request, "人员不存在或不在您的管辖范围内。")
        return render(request, "people/rental_detail.html", {"house": house, "tenants": house.tenants.visible_to(request.user),
                                                             "can_write": True}, status=400)
    try:
        services.rental_house_add_tenant(actor=request.user, house=house, person=person)
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
        return redirect("people:rental_detail", pk=house.pk)
    return redirect("people:rental_detail", pk=house.pk)


# ------------------------------------------------------------------------------------ special people
@login_required
def special_list(request):
    _person_data(request)
    base = selectors.enrollments(request.user)
    flt = filters.EnrollmentFilter(request.GET, queryset=base, request=request)
    qs = flt.qs if flt.is_valid() else base.none()
    return render(request, "people/special_list.html", {
        "filter": flt, "page": paginate(request, qs.order_by("next_visit_on", "id")),
        "counts": selectors.kind_counts(request.user), "kinds": c.SpecialKind.choices}, status=200 if flt.is_valid() else 400)


def _allowed_kinds(user) -> list[str]:
    return [k for k in c.SpecialKind.values if k not in c.HEALTH_KINDS or user.can("people.read_health")]


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
@scoped(Person)
def special_enroll(request, pk: int):
    person = get_visible_or_404(Person, request.user, pk=pk)
    kinds = _allowed_kinds(request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or kinds[0]
    if kind not in kinds:
        kind = kinds[0]
    form = EnrollmentForm(request.POST or None, initial={"kind": kind}, kinds=kinds)
    dform = detail_form(kind, request.POST or None)
    if request.method == "POST" and form.is_valid() & dform.is_valid():
        data = form.cleaned_data
        try:
            enrollment = services.special_person_enroll(
                actor=request.user, person=person, kind=data["kind"], enrolled_on=data["enrolled_on"],
                risk_level=data["risk_level"], measures=data["measures"], details=dict(dform.cleaned_data),
                responsible_users=[request.user] if request.user.role == "grid_worker" else [],
                responsible_name=data["responsible_name"], responsible_phone=data["responsible_phone"])
        except ValidationError as exc:
            if hasattr(exc, "message_dict") and any(f in dform.fields for f in exc.message_dict):
                _form_errors(dform, exc)
            else:
                _form_errors(form, exc)
        else:
            messages.success(request, f"已列管：{enrollment}。下次走访 {enrollment.next_visit_on:%Y-%m-%d}。")
            return redirect("people:special_detail", pk=enrollment.pk)
    return render(request, "people/enroll.html", {"person": person, "form": form, "dform": dform, "kind": kind,
                                                  "kinds": [(k, c.SpecialKind(k).label) for k in kinds]},
                  status=400 if (form.errors or dform.errors) else 200)


@login_required
@scoped(SpecialEnrollment)
def special_detail(request, pk: int):
    _person_data(request)
    enrollment = get_visible_or_404(selectors.enrollments(request.user).prefetch_related("responsible_users"),
                                    request.user, pk=pk)
    detail = _detail(enrollment)
    dform = detail_form(enrollment.kind, instance=detail) if detail else None
    visits = enrollment.visits.select_related("visitor").order_by("-visited_on", "-id")[:50]
    context = {"e": enrollment, "detail": detail, "dform": dform, "visits": visits,
               "can_visit": request.user.can("people.visit"), "can_write": request.user.can("people.write")}
    if enrollment.kind == c.SpecialKind.MENTAL:
        context["episodes"] = enrollment.episodes.all()
        context["spendings"] = enrollment.spendings.select_related("fund")
        context["spent"] = enrollment.spendings.aggregate(total=Sum("amount"))["total"] or 0
        context["funds"] = Fund.objects.visible_to(request.user).filter(
            jurisdiction__path__in=ancestor_paths(enrollment.jurisdiction.path)).order_by("-year")
        context["risk_meaning"] = c.MENTAL_RISK_MEANING
    return render(request, "people/special_detail.html", context)


def _detail(enrollment):
    """The kind's own record (the one-to-one accessor is named after the kind), or None."""
    try:
        return getattr(enrollment, enrollment.kind)
    except Exception:  # RelatedObjectDoesNotExist
        return None



@require_capability("people.write")
@require_http_methods(["GET", "POST"])
@scoped(SpecialEnrollment)
def special_edit(request, pk: int):
    enrollment = get_visible_or_404(selectors.enrollments(request.user), request.user, pk=pk)
    detail = _detail(enrollment)
    # Contacts' phones are pre-filled masked for roles that may not see them whole; sent back unchanged (the
    # mask), the stored number is kept.
    show = lambda value: phone_for(value, request.user)  # noqa: E731
    initial = {"kind": enrollment.kind, "enrolled_on": enrollment.enrolled_on, "risk_level": enrollment.risk_level,
               "measures": enrollment.measures, "responsible_name": enrollment.responsible_name,
               "responsible_phone": show(enrollment.responsible_phone)}
    form = EnrollmentForm(request.POST or None, initial=initial, kinds=[enrollment.kind])
    dform = detail_form(enrollment.kind, request.POST or None, instance=detail)
    stored_guardian = getattr(detail, "guardian_phone", "") if detail is not None else ""
    if "guardian_phone" in dform.fields and not dform.is_bound:
        dform.initial["guardian_phone"] = show(stored_guardian)
    if request.method == "POST" and form.is_valid() & dform.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
        if data.get("responsible_phone") and data["responsible_phone"] == show(enrollment.responsible_phone):
            data["responsible_phone"] = enrollment.responsible_phone
        if dform.cleaned_data.get("guardian_phone") and dform.cleaned_data["guardian_phone"] == show(stored_guardian):
            dform.cleaned_data["guardian_phone"] = stored_guardian
        try:
            services.special_person_update(actor=request.user, enrollment=enrollment, data=data,
                                           details=dict(dform.cleaned_data))
        except ValidationError as exc:
            _form_errors(dform if hasattr(exc, "message_dict") and any(f in dform.fields for f in exc.message_dict) else form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("people:special_detail", pk=enrollment.pk)
    return render(request, "people/enroll.html", {"person": enrollment.person, "form": form, "dform": dform,
                                                  "kind": enrollment.kind, "editing": True},
                  status=400 if (form.errors or dform.errors) else 200)


@require_capability("people.write")
@require_POST
@scoped(SpecialEnrollment)
def special_release(request, pk: int):
    enrollment = get_visible_or_404(selectors.enrollments(request.user), request.user, pk=pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.special_person_release(actor=request.user, enrollment=enrollment,
                                            released_on=form.cleaned_data["released_on"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(form, exc)
    if form.errors:
        return render(request, "people/form.html", {"form": form, "title": f"解除列管：{enrollment}"}, status=400)
    messages.success(request, f"已解除列管：{enrollment}。")
    return redirect("people:special_detail", pk=enrollment.pk)


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
@scoped(SpecialEnrollment)
def episode_create(request, pk: int):
    enrollment = get_visible_or_404(selectors.enrollments(request.user), request.user, pk=pk)
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.treatment_episode_record(actor=request.user, enrollment=enrollment, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("people:special_detail", pk=enrollment.pk)
    return render(request, "people/form.html", {"form": form, "title": f"登记住院治疗：{enrollment}"},
                  status=400 if form.errors else 200)


@require_capability("people.write")
@require_http_methods(["GET", "POST"])
@scoped(SpecialEnrollment)
def fund_spend(request, pk: int):
    enrollment = get_visible_or_404(selectors.enrollments(request.user), request.user, pk=pk)
    form = SpendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fund = Fund.objects.visible_to(request.user).filter(
            pk=form.cleaned_data["fund"], jurisdiction__path__in=ancestor_paths(enrollment.jurisdiction.path)).first()
        if fund is None:
            form.add_error("fund", "资金不存在或不能用于该人员。")
        else:
            try:
                services.fund_spend(actor=request.user, fund=fund, enrollment=enrollment,
                                    spent_on=form.cleaned_data["spent_on"], amount=form.cleaned_data["amount"],
                                    purpose=form.cleaned_data["purpose"])
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return redirect("people:special_detail", pk=enrollment.pk)
    return render(request, "people/form.html", {"form": form, "title": f"资金支出：{enrollment}"},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- visits
@require_capability("people.visit")
def my_visits(request):
    """The phone page: my people to visit this week, overdue first."""
    rows = selectors.my_visits(request.user)[:200]
    return render(request, "people/my_visits.html", {"rows": rows, "today": selectors.today(),
                                                     "week_end": selectors.week_end()})


@login_required
def overdue(request):
    """Overdue visits in the user's scope, by village (the township's warning list)."""
    _person_data(request)
    return render(request, "people/overdue.html", {"page": paginate(request, selectors.overdue(request.user)),
                                                   "by_village": selectors.overdue_by_village(request.user),
                                                   "today": selectors.today()})


@require_capability("people.visit")
@require_http_methods(["GET", "POST"])
@scoped(SpecialEnrollment)
def visit_create(request, pk: int):
    enrollment = get_visible_or_404(selectors.enrollments(request.user), request.user, pk=pk)
    form = VisitForm(request.POST or None, request.FILES or None,
                     initial={"visited_on": selectors.today(), "form": c.VisitForm.HOME, "risk_after": enrollment.risk_level})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request.user, enrollment=enrollment, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            enrollment.refresh_from_db()
            messages.success(request, f"走访已记录。下次走访：{enrollment.next_visit_on:%Y-%m-%d}。"
                             if enrollment.next_visit_on else "走访已记录。")
            return redirect("people:my_visits")
    return render(request, "people/visit_form.html", {"form": form, "e": enrollment,
                                                      "risk_meaning": c.MENTAL_RISK_MEANING
                                                      if enrollment.kind == c.SpecialKind.MENTAL else None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def visit_rules(request):
    """The visit rules: everyone may read them; the district edits them (and every plan follows)."""
    _person_data(request)
    rules = list(VisitRule.objects.all())
    errors: list[str] = []
    can_edit = request.user.can("people.manage_rules")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有区综治中心管理员可以修改走访规则。")
        rows = []
        for rule in rules:
            days_raw = (request.POST.get(f"days-{rule.pk}") or "").strip()
            per_raw = (request.POST.get(f"per-{rule.pk}") or "").strip()
            if not days_raw.isdigit() or not (per_raw or "0").isdigit():
                errors.append(f"{rule.get_kind_display()} {c.RISK_LABELS.get(rule.risk_level, '默认')}：请填写整数。")
                continue
            rows.append({"kind": rule.kind, "risk_level": rule.risk_level, "interval_days": int(days_raw),
                         "min_per_year": int(per_raw or 0)})
        if not errors:
            try:
                changed = services.visit_rules_save(actor=request.user, rows=rows)
            except ValidationError as exc:
                errors.append(validation_message(exc))
            else:
                messages.success(request, f"走访规则已保存，{changed} 名人员的下次走访日期已重新计算。")
                return redirect("people:visit_rules")
    return render(request, "people/visit_rules.html", {"rules": rules, "errors": errors, "can_edit": can_edit,
                                                       "labels": c.RISK_LABELS}, status=400 if errors else 200)


@login_required
def fund_list(request):
    _person_data(request)
    if not request.user.can("people.read_health"):
        raise PermissionDenied("您的角色不能查看专项资金。")
    funds = Fund.objects.visible_to(request.user).select_related("jurisdiction").annotate(spent=Sum("spendings__amount"))
    return render(request, "people/fund_list.html", {"funds": funds})
