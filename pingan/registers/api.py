"""The API of a register: a DRF ModelViewSet over `visible_to(user)` whose writes go through the register's
services (the serializer only parses), with the write capability checked (denials audited, 403).

    class TeamViewSet(RegisterViewSet):
        register = TEAMS
        serializer_class = TeamSerializer     # a RegisterSerializer

A verb whose service the register lacks is not offered (405, and absent from the OpenAPI schema).
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from rest_framework import serializers, viewsets

from pingan.core import audit
from pingan.core.personal import PhoneField, mask_phone

from .declaration import Register
from .forms import OUT_OF_SCOPE


class MaskedPhoneField(serializers.CharField):
    """A contact phone kept in plaintext: read masked unless the caller may reveal personal numbers."""

    def to_representation(self, value: Any) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not value:
            return ""
        if user is not None and getattr(user, "can", None) and user.can("personal.reveal"):
            return str(value)
        return mask_phone(str(value))


class RegisterSerializer(serializers.ModelSerializer):
    """Related ids are looked up among the records the caller may see (another township's id: 400); phones are
    masked on the way out; messages in Chinese."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, PhoneField: MaskedPhoneField}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for fld in self.fields.values():
            if isinstance(fld, serializers.PrimaryKeyRelatedField) and not fld.read_only:
                qs = fld.queryset
                if qs is not None and hasattr(qs, "visible_to"):
                    fld.queryset = qs.visible_to(user)
                fld.error_messages["does_not_exist"] = OUT_OF_SCOPE
                fld.error_messages["incorrect_type"] = "编号应为整数。"
            label = fld.label or fld.field_name
            fld.error_messages["required"] = f"请填写{label}。"
            if "invalid" in fld.error_messages and isinstance(fld, (serializers.DateField,)):
                fld.error_messages["invalid"] = f"{label}格式不正确，应为 YYYY-MM-DD。"
            elif isinstance(fld, (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)):
                fld.error_messages["invalid"] = f"{label}应为数字。"
                fld.error_messages["max_string_length"] = f"{label}太长。"
                fld.error_messages["max_value"] = f"{label}不能大于 {{max_value}}。"
                fld.error_messages["min_value"] = f"{label}不能小于 {{min_value}}。"
                fld.error_messages["max_digits"] = f"{label}最多 {{max_digits}} 位数字。"
                fld.error_messages["max_decimal_places"] = f"{label}最多 {{max_decimal_places}} 位小数。"
                fld.error_messages["max_whole_digits"] = f"{label}的整数部分太长。"
            if isinstance(fld, serializers.ChoiceField):
                fld.error_messages["invalid_choice"] = f"{label}“{{input}}”不是可选的值。"
            if isinstance(fld, serializers.BooleanField):
                fld.error_messages["invalid"] = f"{label}应为 true 或 false。"
            if isinstance(fld, serializers.CharField):
                fld.error_messages["max_length"] = f"{label}最多 {{max_length}} 字。"
                fld.error_messages["blank"] = f"请填写{label}。"

    def create(self, validated_data: dict[str, Any]) -> Any:  # pragma: no cover - the viewset writes
        raise NotImplementedError("写入经由登记簿的服务函数")

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:  # pragma: no cover
        raise NotImplementedError("写入经由登记簿的服务函数")


class RegisterViewSet(viewsets.ModelViewSet):
    register: Register | None = None

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        reg = cls.__dict__.get("register")
        if reg is None:
            return
        if "queryset" not in cls.__dict__:
            cls.queryset = reg.base_queryset()
        if reg.filterset is not None and "filterset_class" not in cls.__dict__:
            cls.filterset_class = reg.filterset
        methods = ["get", "head", "options"]
        if reg.create:
            methods.append("post")
        if reg.update:
            methods += ["put", "patch"]
        if reg.delete:
            methods.append("delete")
        cls.http_method_names = methods

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def initial(self, request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        reg = self.register
        allowed = reg.may_read(request.user) if request.method in ("GET", "HEAD", "OPTIONS") \
            else reg.may_write(request.user)
        if not allowed:
            audit.denied(user=request.user, path=request.path)
            raise PermissionDenied("您的角色没有此功能的权限。")

    def perform_create(self, serializer) -> None:
        serializer.instance = self.register.create(actor=self.request.user, data=dict(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        instance = serializer.instance
        self.register.update(actor=self.request.user, instance=instance, data=dict(serializer.validated_data))
        instance.refresh_from_db()

    def perform_destroy(self, instance) -> None:
        self.register.delete(actor=self.request.user, instance=instance)
