"""Forms of the petition pages: parse input only (the services check the business rules and the 条例)."""
from __future__ import annotations

from django import forms

from pingan.cases.forms import HalfWidthMixin, PhotosField

from . import choices as c

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
ROWS = 6  # petitioner rows on the registration page (more are added on the petition's page)


def _msgs(label: str, choice: bool = False) -> dict:
    messages = {"required": f"请填写{label}。", "invalid": f"{label}格式不正确。",
                "max_length": f"{label}过长。", "min_value": f"{label}过小。", "max_value": f"{label}过大。"}
    if choice:
        messages.update(required=f"请选择{label}。", invalid_choice=f"所选{label}不存在或不在您的管辖范围内。")
    return messages


def _date_msgs(label: str) -> dict:
    return {"required": f"请填写{label}。", "invalid": f"{label}格式不正确，应为 YYYY-MM-DD。"}


class PetitionForm(HalfWidthMixin, forms.Form):
    """登记: the petition and up to six petitioners (p1_… p6_…)."""

    dates = ("registered_on",)
    jurisdiction = forms.ModelChoiceField(queryset=None, label="问题属地（乡镇或村(社区)）",
                                          error_messages=_msgs("问题属地", choice=True))
    form = forms.ChoiceField(label="信访形式", choices=[("", "请选择")] + c.Form.choices,
                             error_messages=_msgs("信访形式", choice=True))
    registered_on = forms.DateField(label="登记日期", widget=DATE_WIDGET, required=False, help_text="留空为今天。",
                                    error_messages=_date_msgs("登记日期"))
    petition_type = forms.ChoiceField(label="信访类型", choices=[("", "—")] + c.PetitionType.choices, required=False,
                                      error_messages=_msgs("信访类型", choice=True))
    topic = forms.ModelChoiceField(queryset=None, label="问题类别", required=False, empty_label="—",
                                   error_messages=_msgs("问题类别", choice=True))
    topic_text = forms.CharField(label="问题类别（列表中没有时填写）", max_length=100, required=False)
    content = forms.CharField(label="诉求内容", max_length=8000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages=_msgs("诉求内容"))
    head_count = forms.IntegerField(label="人数", min_value=1, max_value=100000, initial=1,
                                    error_messages=_msgs("人数"))
    source = forms.ChoiceField(label="来源", choices=c.Source.choices, initial=c.Source.LOCAL,
                               error_messages=_msgs("来源", choice=True))
    assigning_body = forms.CharField(label="交办单位（上级交办时填写）", max_length=100, required=False)
    assigned_list = forms.ModelChoiceField(queryset=None, label="交办清单", required=False, empty_label="—",
                                           error_messages=_msgs("交办清单", choice=True))
    attachments = PhotosField(label="来信扫描件", help_text="可选，图片格式（扫描或拍照），最多 9 张，每张不超过 10 MB。")

    def __init__(self, *args, places, topics, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = places
        self.fields["jurisdiction"].label_from_instance = (
            lambda n: f"{n.parent.name} / {n.name}" if n.parent_id and n.level != "township" else n.name)
        self.fields["topic"].queryset = topics
        self.fields["assigned_list"].queryset = lists
        for i in range(1, ROWS + 1):
            self.fields[f"p{i}_name"] = forms.CharField(label=f"信访人{i} 姓名", max_length=50, required=False)
            self.fields[f"p{i}_id_number"] = forms.CharField(label=f"信访人{i} 公民身份号码", max_length=30,
                                                             required=False)
            self.fields[f"p{i}_phone"] = forms.CharField(label=f"信访人{i} 联系电话", max_length=20, required=False)
            self.fields[f"p{i}_address"] = forms.CharField(label=f"信访人{i} 住址", max_length=200, required=False)
            self.fields[f"p{i}_is_representative"] = forms.BooleanField(label=f"信访人{i} 是代表", required=False)

    def case_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k != "attachments" and not (k[0] == "p" and k[1:2].isdigit())}
        if not data.get("registered_on"):
            data.pop("registered_on", None)
        return data

    def petitioners(self) -> list[dict]:
        return [{name: self.cleaned_data.get(f"p{i}_{name}") or ("" if name != "is_representative" else False)
                 for name in ("name", "id_number", "phone", "address", "is_representative")}
                for i in range(1, ROWS + 1)]

    def add_service_errors(self, exc) -> None:
        """Service errors beside their fields: `petitioners.0.id_number` beside 信访人1's number."""
        for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            if field.startswith("petitioners."):
                _, index, name = field.split(".", 2)
                target = f"p{int(index) + 1}_{name}"
                self.add_error(target if target in self.fields else None, errs)
            else:
                self.add_error(field if field in self.fields else None, errs)


class PetitionerForm(HalfWidthMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages=_msgs("姓名"))
    id_number = forms.CharField(label="公民身份号码", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    is_representative = forms.BooleanField(label="集体访推选的代表", required=False)


class TopicForm(HalfWidthMixin, forms.Form):
    name = forms.CharField(label="问题类别", max_length=50, error_messages=_msgs("问题类别"))
    code = forms.CharField(label="代码", max_length=10, required=False)
    order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=0, required=False,
                               error_messages=_msgs("排序"))
    active = forms.BooleanField(label="在用", required=False, initial=True)
