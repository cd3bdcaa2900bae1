"""Forms parse input only; the services validate and write."""
from __future__ import annotations

from django import forms

from pingan.core import personal
from pingan.geo.models import Node

from . import choices as c
from .models import (
    AidsDetail, CorrectionDetail, DrugDetail, Household, MentalDetail, Person, ReleasedDetail, RentalHouse, YouthDetail,
)

DATE = forms.DateInput(attrs={"type": "date"})


def grid_choices(user):
    return Node.objects.visible_to(user).grids().select_related("parent").order_by("path")


class GridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name if obj.parent_id else ''} {obj.name}".strip()


class PersonForm(forms.ModelForm):
    jurisdiction = GridChoiceField(queryset=Node.objects.none(), label="所属网格",
                                   error_messages={"required": "请选择所属网格。", "invalid_choice": "所选网格不存在或不在您的管辖范围内。"})
    id_number = forms.CharField(label="公民身份号码", required=False, max_length=40,
                                help_text="18 位；15 位旧号码自动升位；境外人员留空并填写证件号码")
    doc_number = forms.CharField(label="证件号码（境外人员）", required=False, max_length=40)
    phone = forms.CharField(label="联系电话", required=False, max_length=30)

    class Meta:
        model = Person
        fields = ["jurisdiction", "name", "former_name", "sex", "birth_date", "ethnicity", "person_type", "inflow_reason",
                  "residence_permit", "residence_permit_until", "doc_type", "nationality", "left_behind_type",
                  "native_place", "marital_status", "political_status", "education", "religion", "occupation",
                  "workplace", "household_address", "current_address", "registered_on", "note"]
        widgets = {"birth_date": DATE, "residence_permit_until": DATE, "registered_on": DATE,
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, actor=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = grid_choices(actor)
        self.fields["sex"].required = False
        self.fields["sex"].help_text = "可留空：按公民身份号码自动填写"
        self.fields["birth_date"].help_text = "可留空：按公民身份号码自动填写"
        if editing:
            self.fields["id_number"].help_text = "留空则不修改"
            self.fields["phone"].help_text = "留空则不修改"
            if self.instance.pk and not self.instance.doc_type:
                # A citizen's birth date comes from the ID number; pre-filled here it would sit beside the
                # masked number and give it back. A new number brings its own date.
                del self.fields["birth_date"]

    def clean_name(self):
        return personal.clean_text(self.cleaned_data["name"])

    def _post_clean(self):
        # Validation of the model happens in the service (it knows the ID number); skip ModelForm's.
        pass


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看理由", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：核对低保申请材料"}),
                             error_messages={"required": "请填写查看理由，该操作将记入审计日志。"})


class DeregisterForm(forms.Form):
    deregistered_on = forms.DateField(label="注销日期", widget=DATE, error_messages={"invalid": "注销日期格式不正确。", "required": "请填写注销日期。"})
    reason = forms.CharField(label="注销原因", max_length=200, error_messages={"required": "请填写注销原因。"})


class HouseholdForm(forms.ModelForm):
    jurisdiction = GridChoiceField(queryset=Node.objects.none(), label="所属网格",
                                   error_messages={"invalid_choice": "所选网格不存在或不在您的管辖范围内。"})

    class Meta:
        model = Household
        fields = ["jurisdiction", "number", "household_type", "address"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = grid_choices(actor)

    def _post_clean(self):
        pass


class MemberForm(forms.Form):
    person = forms.IntegerField(label="人员编号", error_messages={"invalid": "人员编号应为数字。"})
    relation = forms.ChoiceField(label="与户主关系", choices=c.Relation.choices)


class RentalHouseForm(forms.ModelForm):
    jurisdiction = GridChoiceField(queryset=Node.objects.none(), label="所属网格",
                                   error_messages={"invalid_choice": "所选网格不存在或不在您的管辖范围内。"})
    owner_phone = forms.CharField(label="房主电话", required=False, max_length=30)

    class Meta:
        model = RentalHouse
        fields = ["jurisdiction", "address", "owner_name", "use", "area", "rooms", "registered_on", "note"]
        widgets = {"registered_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = grid_choices(actor)

    def _post_clean(self):
        pass


class EnrollmentForm(forms.Form):
    kind = forms.ChoiceField(label="人群类型", choices=c.SpecialKind.choices)
    enrolled_on = forms.DateField(label="列管日期", widget=DATE, error_messages={"invalid": "列管日期格式不正确。"})
    risk_level = forms.CharField(label="风险等级", required=False, max_length=8,
                                 help_text="严重精神障碍患者填 0–5；其他填 高、中、低")
    measures = forms.CharField(label="管控帮扶措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_name = forms.CharField(label="责任人", required=False, max_length=100)
    responsible_phone = forms.CharField(label="责任人电话", required=False, max_length=20)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in c.SpecialKind.choices if k in kinds]


DETAIL_FORM_FIELDS = {
    c.SpecialKind.RELEASED: (ReleasedDetail, ["crime", "sentence", "release_date", "assist_level", "handed_over",
                                               "handover_note", "settled", "settlement_note"]),
    c.SpecialKind.CORRECTION: (CorrectionDetail, ["category", "judgment_on", "reported_on", "starts_on", "ends_on",
                                                   "history_drug", "history_escape", "history_suicide", "history_assault",
                                                   "involves_drugs", "involves_gang", "involves_guns", "group_members",
                                                   "end_type"]),
    c.SpecialKind.MENTAL: (MentalDetail, ["diagnosis", "guardian_name", "guardian_phone", "treatment", "help_note",
                                           "reward_subsidy"]),
    c.SpecialKind.DRUG: (DrugDetail, ["control_status", "first_found_on", "drug_type"]),
    c.SpecialKind.AIDS: (AidsDetail, ["route", "attention", "care"]),
    c.SpecialKind.YOUTH: (YouthDetail, ["youth_type", "guardian_name", "help_means"]),
}


def detail_form(kind: str, data=None, instance=None, prefix="d"):
    """The kind's own fields as a form (parsing only; the service validates, e.g. 剥夺政治权利)."""
    model, fields = DETAIL_FORM_FIELDS[kind]
    date_fields = [f for f in fields if model._meta.get_field(f).get_internal_type() == "DateField"]
    form_class = forms.modelform_factory(model, fields=fields, widgets={f: DATE for f in date_fields})
    if kind == c.SpecialKind.CORRECTION:
        # Take any text so that 剥夺政治权利 reaches the service and gets its reason, not "invalid choice".
        form_class.base_fields["category"] = forms.CharField(
            label="矫正类别", max_length=20, help_text="管制、缓刑、假释或暂予监外执行",
            widget=forms.Select(choices=[("", "---------")] + list(c.CorrectionCategory.choices)))
    form = form_class(data, instance=instance, prefix=prefix)
    form._post_clean = lambda: None
    return form


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE,
                                 error_messages={"invalid": "走访日期格式不正确，应为 YYYY-MM-DD。", "required": "请填写走访日期。"})
    form = forms.ChoiceField(label="走访形式", choices=c.VisitForm.choices, widget=forms.RadioSelect,
                             error_messages={"required": "请选择走访形式。", "invalid_choice": "请选择走访形式：上门、电话或约见。"})
    findings = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "请填写走访情况。"})
    risk_after = forms.CharField(label="本次评估风险等级", required=False, max_length=8)
    photo = forms.FileField(label="照片（可选）", required=False)


class ReleaseForm(forms.Form):
    released_on = forms.DateField(label="解除列管日期", widget=DATE, error_messages={"invalid": "日期格式不正确。"})
    reason = forms.CharField(label="解除原因", max_length=200, required=False)


class EpisodeForm(forms.Form):
    hospital = forms.CharField(label="医院", max_length=100)
    started_on = forms.DateField(label="入院日期", widget=DATE, error_messages={"invalid": "日期格式不正确。"})
    ended_on = forms.DateField(label="出院日期", widget=DATE, required=False, error_messages={"invalid": "日期格式不正确。"})
    compulsory = forms.BooleanField(label="强制医疗（送治）", required=False, initial=True)
    reason = forms.CharField(label="送治原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SpendForm(forms.Form):
    fund = forms.IntegerField(label="资金编号", error_messages={"invalid": "资金编号应为数字。"})
    spent_on = forms.DateField(label="支出日期", widget=DATE, error_messages={"invalid": "日期格式不正确。"})
    amount = forms.DecimalField(label="金额（元）", max_digits=10, decimal_places=2,
                                error_messages={"invalid": "金额应为数字。", "max_decimal_places": "金额最多两位小数。"})
    purpose = forms.CharField(label="用途", max_length=200)
