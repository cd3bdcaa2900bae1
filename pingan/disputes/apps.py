from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "pingan.disputes"
    label = "disputes"
    verbose_name = "矛盾纠纷排查化解"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability

        officers = {Role.VILLAGE_OFFICER, Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF, Role.DISTRICT_ADMIN}
        # 排查登记: grid workers on the phone, officers, mediators (a party comes to the committee).
        register_capability("disputes.register", officers | {Role.GRID_WORKER, Role.MEDIATOR})
        # 受理指派: the committee's officers and mediators (a committee accepts its own), 重新调解.
        register_capability("disputes.assign", officers | {Role.MEDIATOR})
        # 调解 and its steps: mediators (their own cases), officers, a resident unit's handler (its own).
        register_capability("disputes.mediate", officers | {Role.MEDIATOR, Role.DEPT_HANDLER})
        # 考评定级 (the subsidy grade) by the reviewing officer, never the mediator who is paid by it.
        register_capability("disputes.grade", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        register_capability("disputes.supervise", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        register_capability("disputes.approve_extension", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF,
                                                           Role.DISTRICT_ADMIN})
        # The mediator register, organisations, screening campaigns, 例会 records.
        register_capability("disputes.manage", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        # Subsidy sheets: prepared by township officers and the centre, approved (frozen) by the centre.
        register_capability("disputes.prepare_subsidy", {Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF,
                                                         Role.DISTRICT_ADMIN})
        register_capability("disputes.approve_subsidy", {Role.CENTER_STAFF, Role.DISTRICT_ADMIN})
        register_capability("disputes.configure", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        # The subsidy sheet's .xlsx is a background job (pingan.disputes.jobs).
        from . import jobs

        jobs.register_handlers()
