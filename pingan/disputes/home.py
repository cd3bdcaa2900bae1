"""Navigation (矛盾纠纷, 我的待办纠纷, 纠纷登记 on the phone) and the home panel of the dispute queue (the user's own
disputes only: a resident unit's handler counts what is assigned to its department)."""
from __future__ import annotations

from pingan.accounts.choices import Role
from pingan.core import registry

registry.nav("disputes", "矛盾纠纷", "disputes:list", order=50, data_kind="case")
registry.nav("disputes_queue", "我的待办纠纷", "disputes:queue", order=51, data_kind="case",
             roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER,
                    Role.DEPT_HANDLER, Role.MEDIATOR, Role.LEADER})
registry.nav("disputes_orgs", "调解组织", "disputes:orgs_list", order=53, data_kind="reference")
registry.nav("disputes_mediators", "人民调解员", "disputes:mediators_list", order=54, data_kind="reference")
registry.nav("disputes_meetings", "研判例会", "disputes:meetings_list", order=55, data_kind="case",
             roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.LEADER})
registry.nav("disputes_subsidy", "误工补贴", "disputes:subsidy_list", order=56, data_kind="case",
             roles={Role.CENTER_STAFF, Role.DISTRICT_ADMIN, Role.TOWNSHIP_OFFICER, Role.MEDIATOR, Role.LEADER})
registry.nav("disputes_phone", "登记纠纷", "disputes:phone", order=52, data_kind="case", roles={Role.GRID_WORKER})


@registry.home_panel(order=45)
def disputes_panel(request):
    if not request.user.may_see_data_kind("case"):
        return None
    from pingan.cases.views import home_panel as case_panel

    from . import views  # noqa: F401  (declares the dispute's surface)

    panel = case_panel(request, "disputes.dispute", "我的待办纠纷")
    if panel is not None and not any(count for _label, count, _url in panel["rows"]):
        return None
    return panel
