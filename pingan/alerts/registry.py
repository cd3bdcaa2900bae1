"""The rules that raise early warnings (预警): each module registers its own from `<app>/alerts.py`, found by
autodiscovery when the alerts app starts (`AlertsConfig.ready`).

    register_rule(Rule(key="disputes.repeat_party", label="…", module="disputes", description="…",
                       params={"days": (30, "天数")}, level="orange", scan=None))
    rule_params("disputes.repeat_party", node=None) -> Params   # {"days": 30} merged with the settings; .enabled

A rule is either raised by its module when something happens (`services.alert_raise` in the module's service),
or periodic: `scan(params, now)` yields the current set of `AlertSpec`s (overdue visits …); the scan job raises
the new ones and closes the open alerts of the rule that are no longer in the set (原因已消除).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

LEVELS = ("red", "orange", "yellow")
DATA_KINDS = ("case", "person", "health", "clue")


@dataclass(frozen=True)
class AlertSpec:
    """One warning a scan wants raised: what `alert_raise` takes. `data_kind` ("case", "person", "health"):
    what kind of data the warning tells of, for who may see it (core.scoping); None = the rule's ("clue" too)."""

    rule: str
    jurisdiction: Any
    title: str
    reason: str
    source: Any
    key: str
    level: str | None = None
    data_kind: str | None = None


@dataclass(frozen=True)
class Rule:
    """A kind of warning. `params`: name -> (default, Chinese label); ints (≥ 0) or dates (`datetime.date`),
    editable per district or township on the rules page. `scan`: callable(params, now) -> iterable of
    AlertSpec, for rules checked periodically. `data_kind`: the kind of data the warnings tell of ("case",
    "person", "health": who may see them). `source_url`: the source's page when its model has no
    get_absolute_url."""

    key: str
    label: str
    module: str
    description: str = ""
    params: dict[str, tuple[Any, str]] = field(default_factory=dict)
    level: str = "yellow"
    scan: Callable[[dict, dt.datetime], Iterable[AlertSpec]] | None = None
    data_kind: str = "case"
    # The page of a source record when its model has no get_absolute_url (callable(source) -> url).
    source_url: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        if "." not in self.key or len(self.key) > 60:
            raise ValueError(f"rule key must be '<app>.<name>' (at most 60 characters): {self.key!r}")
        if self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r} for rule {self.key}")
        if self.data_kind not in DATA_KINDS:
            raise ValueError(f"unknown data kind {self.data_kind!r} for rule {self.key}")
        for name, spec in self.params.items():
            if not (isinstance(spec, tuple) and len(spec) == 2):
                raise ValueError(f"param {name!r} of {self.key} must be (default, label)")
            default = spec[0]
            if isinstance(default, bool) or not isinstance(default, (int, dt.date)):
                raise ValueError(f"param {name!r} of {self.key}: only whole numbers and dates are supported")

    @property
    def defaults(self) -> dict[str, Any]:
        return {name: default for name, (default, _label) in self.params.items()}


class Params(dict):
    """A rule's parameters in force at a place, with `.enabled`."""

    enabled: bool = True


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    """Register (or replace, on reload) a rule; returns it."""
    _RULES[rule.key] = rule
    return rule


def rules() -> list[Rule]:
    """Every registered rule, by module then key."""
    return sorted(_RULES.values(), key=lambda r: (r.module, r.key))


def get_rule(key: str) -> Rule:
    try:
        return _RULES[key]
    except KeyError:
        raise LookupError(f"no alert rule registered as {key!r}") from None


def rule_params(key: str, node: Any = None) -> Params:
    """The parameters of rule `key` in force at `node`: the rule's defaults, then the settings of the nodes
    above it and of the node itself, nearest last (a township's setting beats the district's). Without a node:
    the defaults with the settings of the top of the tree (the district of a one-district installation)."""
    from .models import AlertRuleSetting

    rule = get_rule(key)
    params = Params(rule.defaults)
    params.enabled = True
    settings = AlertRuleSetting.objects.filter(rule=key)
    if node is not None:
        from pingan.core.scoping import ancestor_paths

        settings = settings.filter(jurisdiction__path__in=ancestor_paths(node.path))
    else:
        settings = settings.filter(jurisdiction__parent__isnull=True)
    for setting in sorted(settings.select_related("jurisdiction"), key=lambda s: len(s.jurisdiction.path)):
        params.update(setting.typed_params(rule))
        params.enabled = setting.enabled
    return params
