"""The campaign register (专项行动), on the generic register pieces (pingan/registers)."""
from __future__ import annotations

from pingan.registers import Register

from . import services
from .forms import CampaignForm
from .models import Campaign

CAMPAIGNS = Register(
    model=Campaign, namespace="campaigns", name="campaign", title="专项行动", form=CampaignForm,
    columns=(("行动名称", "name"), ("类别", "get_kind_display"), ("范围", "jurisdiction.name"),
             ("开始日期", "start_on"), ("结束日期", "end_on"), ("牵头单位", "lead_department.name"),
             ("状态", "get_status_display")),
    detail_fields=(("行动名称", "name"), ("类别", "get_kind_display"), ("范围", "jurisdiction.name"),
                   ("开始日期", "start_on"), ("结束日期", "end_on"), ("牵头单位", "lead_department.name"),
                   ("工作目标", "goals"), ("状态", "get_status_display")),
    create=services.campaign_create, update=services.campaign_update,
    write_capability="campaigns.manage", detail_template="campaigns/campaign_detail.html",
    select_related=("jurisdiction", "lead_department"), ordering=("-start_on", "-id"),
    item_label="专项行动", empty_text="暂无专项行动。",
    extra_links=(("专项行动线索", "campaigns:list"),),
)
