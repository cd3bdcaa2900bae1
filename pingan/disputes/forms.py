"""Forms of the dispute pages: parse input only; the services and the engine validate the business rules.

`AcceptForm` is the 受理并指派调解 step's form (Surface.action_forms): its organisation and mediator lists hold
only those of the dispute's place and the levels above it, and it derives the handling department
(`assigned_department`) from the chosen organisation — the pages and the API's act path both use it."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.cases.forms import ActionForm, HalfWidthMixin, PhotosField
from pingan.geo.widgets import MapPointWidget

from . import choices as c
from . import services

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _msgs(label: str, choice: bool = False) -> dict:
    return {"required": f"请{'选择' if choice else '填写'}{label}。",
            "invalid_choice": f"所选{label}不存在或不在您的管辖范围内。" if choice else f"{label}的取值无效。",
            "invalid": f"{label}格式不正确。", "max_length": f"{label}太长了。",
            "min_value": f"{label}超出范围。", "max_value": f"{label}超出范围。"}


def _date_msgs(label: str, required: bool = True) -> dict:
    return {"required": f"请填写{label}。", "invalid": f"{label}格式不正确，应为 YYYY-MM-DD。"}


def category_choices() -> list:
    """The two-level 事件类别 select: optgroups of 5.56 with the local names in the labels where they map."""
    local = {}
    for name, code in c.LOCAL_CATEGORY_MAP.items():
        local.setdefault(code, []).append(name)
    groups = [("", "请选择")]
    for label, items in c.CATEGORY_OPTGROUPS:
        groups.append((label, [(code, f"{text}（{'、'.join(local[code])}）" if code in local else text)
                               for code, text in items]))
    return groups


class PartyFieldsMixin:
    """Two optional parties (甲方, 乙方) on the registration forms: name, phone, and on the desktop form ID."""

    party_count = 2

    def parties(self) -> list[dict]:
        result = []
        for i, side in ((1, c.PartySide.APPLICANT), (2, c.PartySide.RESPONDENT)):
            row = {"side": side, "kind": c.PartyKind.PERSON}
            for name in ("name", "phone", "id_number", "category", "sex", "address"):
                if f"party{i}_{name}" in self.fields:
                    row[name] = self.cleaned_data.get(f"party{i}_{name}") or ""
            kind = self.cleaned_data.get(f"party{i}_kind")
            if kind:
                row["kind"] = kind
            result.append(row)
        return result


class DisputeForm(HalfWidthMixin, PartyFieldsMixin, forms.Form):
    """The desktop registration form."""

    jurisdiction = forms.ModelChoiceField(queryset=None, label="发生地（村(社区)/网格）",
                                          error_messages=_msgs("发生地", choice=True))
    title = forms.CharField(label="事件名称", max_length=100, error_messages=_msgs("事件名称"))
    occurred_on = forms.DateField(label="发生日期", widget=DATE_WIDGET, error_messages=_date_msgs("发生日期"))
    registered_on = forms.DateField(label="登记日期", widget=DATE_WIDGET, required=False,
                                    help_text="留空为今天。", error_messages=_date_msgs("登记日期"))
    location = forms.CharField(label="具体地点", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6, min_value=-90,
                                  max_value=90, error_messages=_msgs("纬度"))
    longitude = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6, min_value=-180,
                                   max_value=180, error_messages=_msgs("经度"), widget=MapPointWidget(),
                                   help_text="在地图上点选位置，或直接填写经纬度（选填）。")
    scale = forms.ChoiceField(label="事件规模", choices=c.Scale.choices, initial=c.Scale.INDIVIDUAL,
                              error_messages=_msgs("事件规模", choice=True))
    category = forms.ChoiceField(label="事件类别", choices=(), error_messages={
        "required": "请选择事件类别。", "invalid_choice": "事件类别不正确。"})
    people_count = forms.IntegerField(label="涉及人数", min_value=1, max_value=100000, initial=2,
                                      error_messages=_msgs("涉及人数"))
    summary = forms.CharField(label="事件简述", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages=_msgs("事件简述"))
    units_involved = forms.CharField(label="涉及单位", max_length=200, required=False)
    source = forms.ChoiceField(label="纠纷来源", choices=c.Source.choices, initial=c.Source.GRID,
                               error_messages=_msgs("纠纷来源", choice=True))
    screening = forms.ModelChoiceField(queryset=None, label="排查活动", required=False, empty_label="—",
                                       error_messages=_msgs("排查活动", choice=True))
    referrer_department = forms.ModelChoiceField(queryset=None, label="移送单位", required=False, empty_label="—",
                                                 help_text="公安、法院、检察院、信访等移送来的纠纷：结果须反馈给移送单位。",
                                                 error_messages=_msgs("移送单位", choice=True))
    referrer_name = forms.CharField(label="移送单位名称（不在单位名录中时填写）", max_length=100, required=False)
    referrer_number = forms.CharField(label="移送单位案号", max_length=60, required=False)
    referred_on = forms.DateField(label="移送日期", required=False, widget=DATE_WIDGET,
                                  error_messages=_date_msgs("移送日期"))
    violence_risk = forms.BooleanField(label="有激化风险（须报告公安）", required=False)
    party1_kind = forms.ChoiceField(label="甲方类型", choices=c.PartyKind.choices, required=False)
    party1_name = forms.CharField(label="甲方姓名或名称", max_length=100, required=False)
    party1_id_number = forms.CharField(label="甲方公民身份号码", max_length=30, required=False)
    party1_phone = forms.CharField(label="甲方联系电话", max_length=20, required=False)
    party1_category = forms.ChoiceField(label="甲方人员类别", choices=[("", "—")] + c.PartyCategory.choices,
                                        required=False, error_messages=_msgs("人员类别", choice=True))
    party2_kind = forms.ChoiceField(label="乙方类型", choices=c.PartyKind.choices, required=False)
    party2_name = forms.CharField(label="乙方姓名或名称", max_length=100, required=False)
    party2_id_number = forms.CharField(label="乙方公民身份号码", max_length=30, required=False)
    party2_phone = forms.CharField(label="乙方联系电话", max_length=20, required=False)
    party2_category = forms.ChoiceField(label="乙方人员类别", choices=[("", "—")] + c.PartyCategory.choices,
                                        required=False, error_messages=_msgs("人员类别", choice=True))
    photos = PhotosField()

    def __init__(self, *args, places, screenings, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = places
        self.fields["jurisdiction"].label_from_instance = (
            lambda n: f"{n.parent.name if n.parent_id else ''} / {n.name}")
        self.fields["category"].choices = category_choices()
        self.fields["screening"].queryset = screenings
        self.fields["referrer_department"].queryset = departments

    def clean_category(self):
        code = services.resolve_category(self.cleaned_data.get("category"))
        if code is None:
            raise forms.ValidationError("事件类别不正确。")
        return code

    def case_data(self) -> dict:
        skip = {"photos"} | {n for n in self.fields if n.startswith("party")}
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        if not data.get("registered_on"):
            data.pop("registered_on", None)
        return data


class PhoneForm(HalfWidthMixin, PartyFieldsMixin, forms.Form):
    """The grid worker's phone page: the few fields of a first registration (the rest comes at 受理)."""

    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    jurisdiction = forms.ModelChoiceField(queryset=None, label="所在网格", error_messages=_msgs("所在网格", choice=True))
    title = forms.CharField(label="事件名称", max_length=100, error_messages=_msgs("事件名称"))
    category = forms.ChoiceField(label="事件类别", choices=(), error_messages={
        "required": "请选择事件类别。", "invalid_choice": "事件类别不正确。"})
    scale = forms.ChoiceField(label="事件规模", choices=c.Scale.choices, initial=c.Scale.INDIVIDUAL,
                              error_messages=_msgs("事件规模", choice=True))
    people_count = forms.IntegerField(label="涉及人数", min_value=1, max_value=100000, initial=2,
                                      error_messages=_msgs("涉及人数"))
    summary = forms.CharField(label="简述", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages=_msgs("简述"))
    screening = forms.ModelChoiceField(queryset=None, label="排查活动", required=False, empty_label="—",
                                       error_messages=_msgs("排查活动", choice=True))
    party1_name = forms.CharField(label="甲方姓名", max_length=100, required=False)
    party1_phone = forms.CharField(label="甲方电话", max_length=20, required=False)
    party2_name = forms.CharField(label="乙方姓名", max_length=100, required=False)
    party2_phone = forms.CharField(label="乙方电话", max_length=20, required=False)

    def __init__(self, *args, places, screenings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = places
        self.fields["jurisdiction"].to_field_name = "code"  # the API takes the same values (offline queue)
        self.fields["category"].choices = category_choices()
        self.fields["screening"].queryset = screenings

    clean_category = DisputeForm.clean_category

    def case_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("jurisdiction", "title", "category", "scale", "people_count",
                                                  "summary", "screening")}
        data["occurred_on"] = timezone.localdate()
        data["source"] = c.Source.GRID
        return data


class PartyForm(HalfWidthMixin, forms.Form):
    """A party: found in the people register (`person`, chosen from a search) or typed in, or an organisation."""

    side = forms.ChoiceField(label="当事人地位", choices=c.PartySide.choices, error_messages=_msgs("当事人地位", True))
    kind = forms.ChoiceField(label="当事人类型", choices=c.PartyKind.choices, error_messages=_msgs("当事人类型", True))
    person = forms.IntegerField(label="实有人口中的人员", required=False, min_value=1, max_value=2 ** 62,
                                widget=forms.HiddenInput, error_messages=_msgs("人员"))
    name = forms.CharField(label="姓名或名称", max_length=100, required=False)
    sex = forms.ChoiceField(label="性别", choices=[("", "—"), ("1", "男"), ("2", "女")], required=False,
                            error_messages=_msgs("性别", True))
    id_number = forms.CharField(label="公民身份号码", max_length=30, required=False,
                                help_text="修改时留空则保留原号码。")
    phone = forms.CharField(label="联系电话", max_length=20, required=False, help_text="修改时留空则保留原号码。")
    category = forms.ChoiceField(label="人员类别", choices=[("", "—")] + c.PartyCategory.choices, required=False,
                                 error_messages=_msgs("人员类别", True))
    address = forms.CharField(label="住址", max_length=200, required=False)
    representative = forms.CharField(label="法定代表人或负责人（单位当事人）", max_length=50, required=False)


class SessionForm(HalfWidthMixin, forms.Form):
    held_on = forms.DateField(label="调解日期", widget=DATE_WIDGET, error_messages=_date_msgs("调解日期"))
    place = forms.CharField(label="调解地点", max_length=200, error_messages=_msgs("调解地点"))
    mediator = forms.ModelChoiceField(queryset=None, label="主持调解员", required=False, empty_label="主办调解员",
                                      error_messages=_msgs("主持调解员", True))
    attendees = forms.CharField(label="参加人员", max_length=400, error_messages=_msgs("参加人员"))
    record = forms.CharField(label="调解笔录", max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
                             error_messages=_msgs("调解笔录"))

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [dispute.mediator_id, *dispute.co_mediators.values_list("pk", flat=True)]
        self.fields["mediator"].queryset = services.Mediator.objects.filter(pk__in=[i for i in ids if i])


class CoMediatorsForm(forms.Form):
    mediators = forms.ModelMultipleChoiceField(queryset=None, label="协办调解员", required=False,
                                               widget=forms.CheckboxSelectMultiple,
                                               error_messages={"invalid_choice": "所选调解员不属于本纠纷所在地或其上级的调解组织。",
                                                               "invalid_pk_value": "调解员编号不正确。"})

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = services.mediators_for(dispute).exclude(pk=dispute.mediator_id or 0)
        self.fields["mediators"].label_from_instance = lambda m: f"{m.name}（{m.org.name}）"


class AcceptForm(ActionForm):
    """受理并指派调解: the organisation and mediator of the dispute's place or above; the handling department
    follows from the organisation (a resident unit's department handles it, a committee has none)."""

    def build_field(self, model, name, *, required):
        if name == "mediation_org":
            field = forms.ModelChoiceField(queryset=services.orgs_for(self.case), label="调解组织", required=required,
                                           empty_label="请选择", error_messages={
                                               "required": "请选择调解组织。",
                                               "invalid_choice": "所选调解组织不在本纠纷所在地或其上级辖区（不能跨乡镇指派）。"})
            field.label_from_instance = lambda o: f"{o.name}（{o.get_kind_display()}）"
            return field
        if name == "mediator":
            field = forms.ModelChoiceField(queryset=services.mediators_for(self.case), label="主办调解员",
                                           required=required, empty_label="请选择", error_messages={
                                               "required": "请选择主办调解员。",
                                               "invalid_choice": "所选调解员属于其他乡镇或已不在任，不能指派。"})
            field.label_from_instance = lambda m: f"{m.name}（{m.org.name}）"
            return field
        if name == "assigned_department":
            return forms.ModelChoiceField(queryset=Department.objects.none(), required=False,
                                          widget=forms.HiddenInput)
        return super().build_field(model, name, required=required)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("assigned_department", None)
        if "assigned_department" in self.field_names:
            self.field_names.remove("assigned_department")

    def case_data(self):
        data = super().case_data()
        org = self.cleaned_data.get("mediation_org")
        data["assigned_department"] = org.department if org is not None else None
        return data
