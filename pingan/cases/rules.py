"""The district's per-step rules (today: which steps need a photo). Photos are optional by default (减负);
the district makes one necessary for a step only where its work needs it, and every change is audited."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pingan.core import audit
from pingan.core.views import require_capability

from .definitions import get_kind, kinds
from .models import WorkflowRule


@transaction.atomic
def workflow_rule_set(*, actor: Any, case_type: str, action: str, photo_required: bool) -> bool:
    """Set whether a step needs a photo. Returns True when something changed (then it is audited)."""
    if actor is not None and not actor.can("workflow.rules"):
        raise PermissionDenied("只有区综治中心管理员可以设置流程规则。")
    try:
        kind = get_kind(case_type)
        transition = kind.transition(action)
    except (KeyError, LookupError, ValueError):
        raise ValidationError({"action": f"没有这个流程步骤：{case_type} {action}"}) from None
    rule = WorkflowRule.objects.select_for_update().filter(case_type=kind.label, action=transition.name).first()
    before = rule.photo_required if rule is not None else transition.photo
    if before == photo_required:
        return False
    if rule is None:
        rule = WorkflowRule.objects.create(case_type=kind.label, action=transition.name, photo_required=photo_required)
    else:
        rule.photo_required = photo_required
        rule.save(update_fields=["photo_required", "updated_at"])
    audit.record(actor=actor, action="workflow_rule.set", obj=rule,
                 object_repr=f"{kind.verbose_name}·{transition.label}",
                 changes={"photo_required": [before, photo_required]}, scope_path=getattr(actor, "scope_path", ""))
    return True


def _steps():
    configured = {(r.case_type, r.action): r.photo_required for r in WorkflowRule.objects.all()}
    for kind in sorted(kinds(), key=lambda k: k.verbose_name):
        rows = []
        for t in kind.transitions:
            required = configured.get((kind.label, t.name), t.photo)
            rows.append({"action": t.name, "label": t.label, "photo_required": required,
                         "field": f"{kind.label}:{t.name}"})
        yield {"kind": kind, "steps": rows}


@require_capability("workflow.rules")
@require_http_methods(["GET", "POST"])
def rules_page(request):
    if request.method == "POST":
        chosen = set(request.POST.getlist("photo"))
        changed = 0
        try:
            for group in _steps():
                for step in group["steps"]:
                    changed += workflow_rule_set(actor=request.user, case_type=group["kind"].label,
                                                 action=step["action"], photo_required=step["field"] in chosen)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("cases:rules")
        messages.success(request, f"已保存，{changed} 个步骤的设置有变化。" if changed else "设置没有变化。")
        return redirect("cases:rules")
    return render(request, "cases/rules.html", {"groups": list(_steps())})
