"""Forms of the window: they parse input only; the services check it (scope, 调解先行, double booking)."""
from __future__ import annotations

from django import forms

from pingan.registers.forms import OUT_OF_SCOPE
from pingan.registers.forms import RegisterForm as BaseRegisterForm

from . import choices as c
from .models import Counsellor


class RegisterForm(forms.Form):
    visitor = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    name = forms.CharField(label="姓名", required=False, max_length=200)
    phone = forms.CharField(label="联系电话", required=False, max_length=40)
    id_number = forms.CharField(label="公民身份号码", required=False, max_length=40)
    channel = forms.ChoiceField(label="渠道", choices=c.Channel.choices, initial=c.Channel.VISIT, required=False)
    window = forms.CharField(label="受理窗口", required=False, max_length=200)
    head_count = forms.IntegerField(label="来访人数", min_value=1, max_value=9999, initial=1)
    category = forms.ChoiceField(label="问题类别", choices=[("", "请选择")] + c.Category.choices)
    topic = forms.CharField(label="事由", max_length=400)
    summary = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class RouteForm(forms.Form):
    route = forms.ChoiceField(label="分流去向", choices=c.Route.choices)
    place = forms.CharField(label="事项所在地", required=False, max_length=20)
    other_party = forms.CharField(label="对方当事人", required=False, max_length=400)
    event_category = forms.IntegerField(label="事件类别", required=False, min_value=1, max_value=2**62)
    counsellor = forms.IntegerField(label="咨询师", required=False, min_value=1, max_value=2**62)
    starts_at = forms.DateTimeField(label="预约时间", required=False,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    minutes = forms.IntegerField(label="时长", required=False, min_value=15, max_value=240)
    unit = forms.CharField(label="承接单位", required=False, max_length=400)
    note = forms.CharField(label="说明", required=False, max_length=20000)
    non_mediation_reason = forms.CharField(label="未选调解的原因", required=False, max_length=2000)
    reroute_reason = forms.CharField(label="改派原因", required=False, max_length=2000)


class FollowupForm(forms.Form):
    satisfaction = forms.ChoiceField(label="满意度", choices=c.Satisfaction.choices)
    note = forms.CharField(label="回访记录", max_length=20000)


class LookupForm(forms.Form):
    code = forms.CharField(label="事项码", max_length=40)
    secret = forms.CharField(label="查询码或手机号后四位", max_length=40)


class NotesForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=c.AppointmentStatus.choices)
    notes = forms.CharField(label="咨询记录", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))


class SlotForm(forms.Form):
    unit = forms.IntegerField(min_value=1, max_value=2**62)
    date = forms.DateField(label="日期")
    period = forms.ChoiceField(label="时段", choices=c.Period.choices)
    window = forms.CharField(label="窗口或功能室", required=False, max_length=200)
    person = forms.CharField(label="值班人员", required=False, max_length=200)


class UnitForm(forms.Form):
    name = forms.CharField(label="单位或人员", max_length=400)
    kind = forms.ChoiceField(label="入驻方式", choices=c.DutyKind.choices)
    window = forms.CharField(label="默认窗口或功能室", required=False, max_length=200)
    services = forms.CharField(label="受理事项", required=False, max_length=1000)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="起")
    date_to = forms.DateField(label="止")


class HallField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        from .filters import hall_label

        return hall_label(obj)


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}（{obj.username}）" if obj.full_name and obj.full_name != obj.username else obj.username


class CounsellorForm(BaseRegisterForm):
    """心理咨询师名录: parses only (counsellor_create / counsellor_update check the hall, the account, the name).

    The hall offers the centres the user may see (the district's, a township's); the account offers the active
    accounts the user may see whose role reads 心理服务 appointments and whose scope is a centre's."""

    class Meta:
        model = Counsellor
        fields = ["name", "organisation", "kind", "jurisdiction", "user", "is_active"]

    def __init__(self, *args, **kwargs):
        from pingan.accounts.models import User
        from pingan.accounts.permissions import roles_with_access
        from pingan.geo.models import Node

        from .services import HALL_LEVELS, hall_of

        super().__init__(*args, **kwargs)
        halls = Node.objects.visible_to(self.actor).filter(level__in=HALL_LEVELS).order_by("path")
        self.fields["jurisdiction"] = HallField(queryset=halls, label="所属中心", error_messages={
            "required": "请选择所属中心。", "invalid_choice": OUT_OF_SCOPE})
        if self.instance.pk:
            self.initial["jurisdiction"] = self.instance.jurisdiction_id
        elif "jurisdiction" not in self.initial:
            hall = hall_of(self.actor)
            self.initial["jurisdiction"] = hall.pk if hall is not None else None
        accounts = (User.objects.visible_to(self.actor)
                    .filter(is_active=True, role__in=roles_with_access("health"), scope__level__in=HALL_LEVELS)
                    .order_by("username"))
        self.fields["user"] = AccountField(queryset=accounts, required=False, label="登录账号",
                                           empty_label="（不关联账号）",
                                           help_text="关联后，该账号可填写和查看本人咨询的咨询记录。",
                                           error_messages={"invalid_choice": OUT_OF_SCOPE})
        if self.instance.pk:
            self.initial["user"] = self.instance.user_id
        for name in ("name", "organisation"):
            label = self.fields[name].label
            self.fields[name].error_messages["max_length"] = f"{label}最多 %(limit_value)d 字（现为 %(show_value)d 字）。"
