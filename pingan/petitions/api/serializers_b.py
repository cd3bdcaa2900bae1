"""Serializers of the part-2 API: 交办清单, 领导接访 and the repeat panel. Input serializers only parse (types,
lengths, ids and codes looked up inside the caller's scope); the rules are the services' (lists.py,
receptions.py, repeats.py), so the API and the pages refuse the same things with the same words."""
from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pingan.core import personal
from pingan.geo.models import Node

from .. import choices as c
from .. import lists
from ..models import AssignedList, LeaderReception, Petition

MAX_ID = 2 ** 31 - 1
OUT_OF_SCOPE_PLACE = "所选单位不存在或不在您的管辖范围内。"


class ChineseInput(serializers.Serializer):
    """Every field's messages in Chinese, naming the field by its label."""

    default_error_messages = {"invalid": "请求内容应为 JSON 对象（字段名 → 值）。"}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for fld in self.fields.values():
            _chinese(fld, fld.label or fld.field_name)


def _chinese(fld: serializers.Field, label: str) -> None:
    msgs = fld.error_messages
    # The length and range validators took their message when the field was built: give them theirs.
    for validator in fld.validators:
        name = type(validator).__name__
        if name == "MaxLengthValidator":
            unit = "项" if isinstance(fld, serializers.ListField) else "字"
            validator.message = f"{label}{'一次' if unit == '项' else ''}最多 {validator.limit_value} {unit}。"
        elif name in ("MaxValueValidator", "MinValueValidator"):
            validator.message = f"{label}超出范围。"
    msgs["required"] = f"请填写{label}。"
    msgs["null"] = f"{label}不能为空。"
    if isinstance(fld, serializers.DateField):
        msgs["invalid"] = f"{label}不是有效的日期，应为 YYYY-MM-DD。"
        msgs["datetime"] = f"{label}应为日期（YYYY-MM-DD），不带时间。"
    elif isinstance(fld, serializers.IntegerField):
        msgs["invalid"] = f"{label}应为整数编号。"
        msgs["max_string_length"] = f"{label}太长。"
        msgs["max_value"] = f"{label}超出范围。"
        msgs["min_value"] = f"{label}超出范围。"
    elif isinstance(fld, serializers.ChoiceField):
        msgs["invalid_choice"] = f"{label}“{{input}}”不是可选的值。"
    elif isinstance(fld, serializers.CharField):
        msgs["invalid"] = f"{label}应为文字。"
        msgs["blank"] = f"请填写{label}。"
        msgs["max_length"] = f"{label}最多 {{max_length}} 字。"
    elif isinstance(fld, serializers.ListField):
        msgs["not_a_list"] = f"{label}应为列表。"
        msgs["empty"] = f"请填写{label}。"
        msgs["max_length"] = f"{label}一次最多 {{max_length}} 项。"
        _chinese(fld.child, label)


def place_in_scope(user: Any, value: str | None) -> Node | None:
    """The node of `value` (a statistical code) among those the caller sees; ValidationError otherwise."""
    code = personal.clean_text(value)
    if not code:
        return None
    node = Node.objects.visible_to(user).filter(code=code).first() if code.isdigit() and len(code) <= 15 else None
    if node is None:
        raise serializers.ValidationError(OUT_OF_SCOPE_PLACE)
    return node


# --- output ----------------------------------------------------------------------------------------------------
class PetitionBriefSerializer(serializers.ModelSerializer):
    """A petition named on a list, a reception or the repeat panel (read only)."""

    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Petition
        fields = ["id", "number", "registered_on", "jurisdiction_name", "state", "state_display", "content"]
        read_only_fields = fields


class SimilarPetitionSerializer(PetitionBriefSerializer):
    score = serializers.FloatField(read_only=True, help_text="内容相似度（按 idf 加权的字二元组 Jaccard，≥0.20 才列出）")

    class Meta(PetitionBriefSerializer.Meta):
        fields = [*PetitionBriefSerializer.Meta.fields, "score"]
        read_only_fields = fields


class ListProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="清单中的事项数")
    finished = serializers.IntegerField(help_text="已办结（已办结/已化解/已稳控及其后的复查、复核办结）")
    percent = serializers.IntegerField(help_text="办结率（%，向下取整；空清单为 0）")
    overdue = serializers.IntegerField(help_text="未办结且超过办理期限的件数")


class ListItemSerializer(serializers.Serializer):
    petition = serializers.IntegerField(help_text="信访事项编号（id）")
    number = serializers.CharField()
    registered_on = serializers.DateField()
    jurisdiction_name = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField()
    due_on = serializers.DateField(help_text="清单办理期限与本件期限中较早的一个")
    finished = serializers.BooleanField()
    overdue_days = serializers.IntegerField(help_text="逾期天数（未逾期为 0）")
    result = serializers.CharField(help_text="办理结果（结案说明或处理意见）")


class AssignedListSerializer(serializers.ModelSerializer):
    """A 交办清单 with its progress (every item of the list counts, as on the page)."""

    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = AssignedList
        fields = ["id", "title", "assigning_body", "level", "level_display", "received_on", "deadline",
                  "report_requirement", "reported_on", "report_text", "jurisdiction", "jurisdiction_name",
                  "progress", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(ListProgressSerializer)
    def get_progress(self, obj: AssignedList) -> dict:
        # The view prefetches the items (one query for a page of lists).
        items = obj.petitions.all()
        done = lists.list_progress(obj, self.context.get("today"), petitions=items)
        return {k: done[k] for k in ("total", "finished", "percent", "overdue")}


class AssignedListDetailSerializer(AssignedListSerializer):
    """One list with its items: every item's state, due day, overdue days and result (the items the caller may
    see; `progress` counts them all)."""

    items = serializers.SerializerMethodField()

    class Meta(AssignedListSerializer.Meta):
        fields = [*AssignedListSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(ListItemSerializer(many=True))
    def get_items(self, obj: AssignedList) -> list[dict]:
        user = self.context["request"].user
        rows = (Petition.objects.visible_to(user).filter(assigned_list=obj).select_related("jurisdiction")
                .order_by("registered_on", "pk"))
        return [{"petition": i["petition"].pk, "number": i["petition"].number,
                 "registered_on": i["petition"].registered_on, "jurisdiction_name": i["petition"].jurisdiction.name,
                 "state": i["petition"].state, "state_display": i["state"], "due_on": i["due"],
                 "finished": i["finished"], "overdue_days": i["overdue_days"], "result": i["result"]}
                for i in lists.list_items(obj, self.context.get("today"), petitions=rows)]


class ReceptionSerializer(serializers.ModelSerializer):
    """A 领导接访/约访/下访 with the petitions received (those the caller may see)."""

    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    leader = serializers.IntegerField(source="leader_id", read_only=True, allow_null=True,
                                      help_text="接访领导的账号 id（未关联账号时为 null）")
    petitions = serializers.SerializerMethodField()

    class Meta:
        model = LeaderReception
        fields = ["id", "jurisdiction", "jurisdiction_name", "leader", "leader_name", "held_on", "place", "topic",
                  "kind", "kind_display", "outcome", "petitions", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(PetitionBriefSerializer(many=True))
    def get_petitions(self, obj: LeaderReception) -> list[dict]:
        # The view prefetches them through visible_to(caller).
        return PetitionBriefSerializer(obj.petitions.all(), many=True).data


class RepeatPanelSerializer(serializers.Serializer):
    """The panel 可能重复的信访: the officer's conclusion so far, the same person's matters, similar ones."""

    petition = serializers.IntegerField()
    number = serializers.CharField()
    repeat_of = serializers.IntegerField(allow_null=True, help_text="原件 id（标记为重复信访时）")
    repeat_of_number = serializers.CharField(allow_null=True)
    repeat_checked = serializers.BooleanField(help_text="是否已作查重结论（是重复或不是重复）")
    conclusion = serializers.CharField(help_text="查重结论的文字：已标记为重复信访（关联 XF…）。/已标记为不是重复。/尚未查重。")
    same_person = PetitionBriefSerializer(many=True, help_text="同一信访人（公民身份号码或电话相同）的其他事项")
    similar = SimilarPetitionSerializer(many=True, help_text="内容相似的其他事项（相似度由高到低）")


def repeat_panel(petition: Petition, found: dict) -> dict:
    original = petition.repeat_of
    if original is not None:
        conclusion = f"已标记为重复信访（关联 {original.number}）。"
    else:
        conclusion = "已标记为不是重复。" if petition.repeat_checked else "尚未查重。"
    similar = []
    for p, score in found["similar"]:
        p.score = score
        similar.append(p)
    return RepeatPanelSerializer({
        "petition": petition.pk, "number": petition.number, "repeat_of": original.pk if original else None,
        "repeat_of_number": original.number if original else None, "repeat_checked": petition.repeat_checked,
        "conclusion": conclusion, "same_person": found["same_person"], "similar": similar}).data


# --- input -----------------------------------------------------------------------------------------------------
class AssignedListInputSerializer(ChineseInput):
    """登记交办清单: what the page's form asks, and optionally the receiving unit (a place in scope; the caller's
    own by default)."""

    title = serializers.CharField(label="清单名称", max_length=100)
    assigning_body = serializers.CharField(label="交办单位", max_length=100)
    level = serializers.ChoiceField(label="交办层级", choices=c.ListLevel.choices)
    received_on = serializers.DateField(label="接收日期")
    deadline = serializers.DateField(label="办理期限")
    report_requirement = serializers.CharField(label="报告要求", max_length=2000, required=False, allow_blank=True,
                                               allow_null=True, default="")
    jurisdiction = serializers.CharField(label="接收单位", max_length=15, required=False, allow_blank=True,
                                         allow_null=True, default=None,
                                         help_text="接收清单的单位（统计用区划代码，须在您的管辖范围内）；不填为您本人所在单位")

    def validate_jurisdiction(self, value):
        return place_in_scope(self.context["request"].user, value)


class ListAttachSerializer(ChineseInput):
    """列入信访事项: by id, by number (XF…), or both; all must be petitions the caller sees."""

    petitions = serializers.ListField(label="信访事项", child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                      required=False, max_length=lists.MAX_ATTACH, help_text="信访事项 id 的列表")
    numbers = serializers.ListField(label="信访事项编号", child=serializers.CharField(max_length=40), required=False,
                                    max_length=lists.MAX_ATTACH, help_text="信访事项编号（XF…）的列表")

    def validate(self, attrs):
        if not attrs.get("petitions") and not attrs.get("numbers"):
            raise serializers.ValidationError({"petitions": "请选择要列入清单的信访事项（petitions 或 numbers）。"})
        return attrs


class ListReportSerializer(ChineseInput):
    report_text = serializers.CharField(label="报告内容", max_length=7800)
    reason = serializers.CharField(label="未办结原因", max_length=2000, required=False, allow_blank=True,
                                   allow_null=True, default="", help_text="清单中还有未办结事项时必填")
    reported_on = serializers.DateField(label="报告日期", required=False, allow_null=True, default=None,
                                        help_text="不填为今天；不能晚于今天，不能早于接收日期")


class ReceptionInputSerializer(ChineseInput):
    """安排或修改接访: the page's form, and on creation optionally the unit (a place in scope)."""

    leader_name = serializers.CharField(label="接访领导", max_length=50)
    held_on = serializers.DateField(label="接访日期", help_text="2000 年以后、一年以内")
    place = serializers.CharField(label="接访地点", max_length=200)
    topic = serializers.CharField(label="接访主题", max_length=200, required=False, allow_blank=True, allow_null=True,
                                  default="")
    kind = serializers.ChoiceField(label="接访方式", choices=c.ReceptionKind.choices, required=False,
                                   default=c.ReceptionKind.RECEPTION)
    outcome = serializers.CharField(label="接访结果", max_length=4000, required=False, allow_blank=True,
                                    allow_null=True, default="", help_text="接访日期未到时不能填写")
    jurisdiction = serializers.CharField(label="安排单位", max_length=15, required=False, allow_blank=True,
                                         allow_null=True, default=None,
                                         help_text="仅创建时：统计用区划代码，须在您的管辖范围内；不填为您本人所在单位")

    def validate_jurisdiction(self, value):
        return place_in_scope(self.context["request"].user, value)


class RepeatMarkSerializer(ChineseInput):
    repeat_of = serializers.IntegerField(label="原件", min_value=1, max_value=MAX_ID, allow_null=True,
                                         help_text="是重复信访：原件的 id；不是重复：null")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["repeat_of"].error_messages["required"] = "请填写原件 repeat_of（原件的 id；不是重复时填 null）。"
