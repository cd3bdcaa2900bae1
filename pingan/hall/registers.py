"""The hall's registers, declared once: the pages (urls.py) and the API (api/views.py) are made from these.

心理咨询师名录: the counsellors who sit in a hall's 心理服务 room. Only their own fields appear here — nothing of
their appointments (health data) and never a session note."""
from __future__ import annotations

from pingan.registers import Register

from . import filters, forms, services
from .models import Counsellor

COUNSELLORS = Register(
    model=Counsellor, namespace="hall", name="counsellors", title="心理咨询师名录", item_label="心理咨询师",
    form=forms.CounsellorForm, filterset=filters.CounsellorFilter,
    columns=(("姓名", "name"), ("所属机构", "organisation"), ("入驻方式", "get_kind_display"),
             ("所属中心", "jurisdiction.name"), ("登录账号", "user.username"), ("在岗", "is_active")),
    detail_fields=(("姓名", "name"), ("所属机构", "organisation"), ("入驻方式", "get_kind_display"),
                   ("所属中心", "jurisdiction.name"), ("登录账号", "user.username"), ("账号姓名", "user.full_name"),
                   ("在岗", "is_active")),
    create=services.counsellor_create, update=services.counsellor_update, delete=services.counsellor_delete,
    write_capability=services.MANAGE_DUTY, select_related=("jurisdiction", "user"),
    ordering=("-is_active", "name", "id"), detail_template="hall/counsellor_detail.html",
    extra_links=(("值班安排", "hall:duty"),), empty_text="名录中还没有心理咨询师。",
)

ALL = (COUNSELLORS,)
