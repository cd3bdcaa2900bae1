from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "pingan.hall"
    label = "hall"
    verbose_name = "一窗受理"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import panels  # noqa: F401  (home panel)

        # The window is kept by the centre's staff and a township's office (a township hall exists too).
        register_capability("hall.register", {Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER})
        register_capability("hall.route", {Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER})
        # The duty schedule and the counsellor register: the centre's administrator and staff.
        register_capability("hall.manage_duty", {Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER})
        registry.nav("hall", "一窗受理", "hall:window", order=60, data_kind="case", capability="hall.register")
        registry.nav("hall_log", "受理台账", "hall:log", order=61, data_kind="case",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.LEADER})
        registry.nav("hall_psych_counsellors", "心理咨询师名录", "hall:counsellors_list", order=61, data_kind="reference",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.LEADER})
        registry.action_label("matter.create", "窗口登记事项")
        registry.action_label("matter.route", "事项分流")
        registry.action_label("matter.reroute", "事项改派")
        registry.action_label("matter.followup", "事项回访")
        registry.action_label("matter.lookup", "群众查询事项")
        registry.action_label("hallvisitor.create", "登记来访人")
        registry.action_label("hallvisitor.lookup", "按号码查找来访人")
        registry.action_label("appointment.create", "预约心理服务")
        registry.action_label("appointment.update", "心理服务记录")
        registry.action_label("dutyunit.create", "新增入驻单位")
        registry.action_label("dutyslot.create", "排班")
        registry.action_label("dutyslot.delete", "取消排班")
        registry.action_label("counsellor.create", "新增心理咨询师")
        registry.action_label("counsellor.update", "修改心理咨询师")
        registry.action_label("counsellor.deactivate", "停用心理咨询师")
        registry.action_label("counsellor.delete", "删除心理咨询师")
