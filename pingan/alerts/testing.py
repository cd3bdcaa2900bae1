"""Leak-test factories: an alert and a rule setting in each township (pingan.core.testing), and helpers the
alerts tests share. The alert is assigned to the township's 派出所 (police_<side>), as if its source had been
dispatched there, so that department's handler sees it and no other handler does."""
from __future__ import annotations

from pingan.core.testing import leak_factory, marked, new_marker

from .models import Alert, AlertRuleSetting
from .registry import Rule, _RULES, register_rule

TEST_RULE = "alerts.test_rule"


def ensure_test_rule() -> Rule:
    """A plain rule for tests (raised by hand, no scan), registered once."""
    if TEST_RULE not in _RULES:
        register_rule(Rule(key=TEST_RULE, label="测试预警规则", module="alerts", description="测试用",
                           params={"days": (30, "天数")}, level="orange"))
    return _RULES[TEST_RULE]


def make_alert(world, side: str = "a", *, key: str | None = None, level: str | None = None, department=None,
               title: str = "", reason: str = "", **kwargs) -> Alert:
    from .services import alert_raise

    ensure_test_rule()
    marker = new_marker()
    alert, _created = alert_raise(
        rule=TEST_RULE, jurisdiction=world.village(side), key=key or f"{TEST_RULE}:{marker}", level=level,
        title=title or f"{world.village(side).short_name}同一当事人再次纠纷{marker}",
        reason=reason or f"当事人在 30 天内第 3 次登记纠纷（{marker}）", department=department, **kwargs)
    return marked(alert, marker)


@leak_factory(Alert)
def _alert(world, side):
    return make_alert(world, side, department=world.departments[f"police_{side}"])


@leak_factory(AlertRuleSetting)
def _setting(world, side):
    """A township's own setting of the test rule, saved by the centre (its note carries the marker)."""
    from .services import rule_setting_save

    ensure_test_rule()
    marker = new_marker()
    setting = rule_setting_save(actor=world.users["center_staff"], node=world.township(side), rule=TEST_RULE,
                                enabled=True, params={"days": 15}, note=f"汛期加密{marker}")
    return marked(setting, marker)
