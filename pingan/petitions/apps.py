from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "pingan.petitions"
    label = "petitions"
    verbose_name = "信访工作"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import panels  # noqa: F401  (home panel)

        centre = {Role.CENTER_STAFF, Role.DISTRICT_ADMIN}
        # 登记: the centre's window, township officers (their own townships' petitions), the district admin.
        # A village officer does not register petitions: a villager's 信访 goes to the township or the centre
        # (the village records a dispute instead), so that every petition has a 信访 officer answering for its
        # 15-day deadlines from the first day.
        register_capability("petitions.register", centre | {Role.TOWNSHIP_OFFICER})
        # 办理 (受理告知, 调查, 听证, 处理意见, 延期告知, 延期申请, 督办反馈): a department handler on the petitions
        # assigned to its department (workflow.responsible), township officers, the centre.
        register_capability("petitions.handle", centre | {Role.TOWNSHIP_OFFICER, Role.DEPT_HANDLER})
        # 受理/不予受理/转送/交办/办结/复查/复核: the centre and the township officer (its own township by scope).
        register_capability("petitions.decide", centre | {Role.TOWNSHIP_OFFICER})
        register_capability("petitions.supervise", centre)
        # 延期 approval: the level above the requester (the case layer's rule) among these roles.
        register_capability("petitions.approve_extension", centre | {Role.TOWNSHIP_OFFICER})
        # The topic list (问题类别).
        register_capability("petitions.configure", centre)
        registry.nav("petitions", "信访", "petitions:list", order=62, data_kind="case")
        registry.nav("petitions_lists", "交办清单", "petitions:lists", order=64, data_kind="case",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.LEADER})
        registry.nav("petitions_backlog", "积案化解", "petitions:backlog", order=65, data_kind="case",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.LEADER})
        registry.nav("petitions_receptions", "领导接访", "petitions:receptions", order=66, data_kind="case",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.LEADER})
        registry.nav("petitions_queue", "我的待办信访", "petitions:queue", order=63, data_kind="case",
                     roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.DEPT_HANDLER,
                            Role.LEADER})
