"""Nothing outside the case layer writes a case's state, due moment or story (issue 9): read every module of
the apps with `ast` and refuse, outside pingan/cases (tests, test support and migrations aside),
- any write through the managers of the case layer's own tables (TransitionLog, Supervision, Extension,
  WorkflowAttachment, CaseCounter): `.objects.create/bulk_create/update/delete/get_or_create/update_or_create`,
  also after `.filter(...)`;
- a queryset `.update(...)` that sets what the engine owns (state, state_changed_at, due_at, sent_back_count,
  closed_at) on any model.
A dictionary's `.update(state=…)` (a seed's planned fields handed to the bulk registration) is not a queryset
write and is not refused: only calls on a chain that starts at `<Model>.objects` count."""
from __future__ import annotations

import ast
from pathlib import Path

PINGAN = Path(__file__).resolve().parents[2]
CASE_TABLES = {"TransitionLog", "Supervision", "Extension", "WorkflowAttachment", "CaseCounter"}
ENGINE_FIELDS = {"state", "state_changed_at", "due_at", "sent_back_count", "closed_at"}
WRITES = {"create", "bulk_create", "update", "delete", "get_or_create", "update_or_create", "bulk_update"}


def _chain_root(node: ast.AST) -> tuple[str | None, bool]:
    """(the name at the root of `X.objects.filter(...).update`, whether the chain passes through `.objects`)."""
    through_objects = False
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            through_objects = through_objects or node.attr in ("objects", "_default_manager")
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, through_objects
        else:
            return None, through_objects


def offending_writes(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES):
            continue
        root, through_objects = _chain_root(node.func.value)
        if not through_objects:
            continue
        if root in CASE_TABLES:
            found.append((node.lineno, f"{root}.objects….{node.func.attr}()"))
        elif node.func.attr in ("update", "bulk_update"):
            keys = {k.arg for k in node.keywords if k.arg}
            fields = set()
            if node.func.attr == "bulk_update" and len(node.args) > 1 and isinstance(node.args[1], (ast.List, ast.Tuple)):
                fields = {e.value for e in node.args[1].elts if isinstance(e, ast.Constant)}
            owned = (keys | fields) & ENGINE_FIELDS
            if owned:
                found.append((node.lineno, f"{root}.objects….{node.func.attr}({', '.join(sorted(owned))})"))
    return found


def _modules():
    for path in sorted(PINGAN.rglob("*.py")):
        parts = path.relative_to(PINGAN).parts
        # Test support (`testing.py`: leak factories making rows to look for) is part of the tests.
        if parts[0] == "cases" or "tests" in parts or "migrations" in parts or path.name == "testing.py":
            continue
        yield path


def test_the_scanner_sees_a_write_and_passes_a_dictionary():
    source = '''
TransitionLog.objects.create(case_type="x")
Supervision.objects.filter(pk=1).update(status="answered")
Hazard.objects.filter(pk=1).update(state="rectified", measures="m")
Event.objects.bulk_update(events, ["due_at"])
fields.update(state="reported")
Hazard.objects.filter(pk=1).update(measures="m")
'''
    assert [line for line, _ in offending_writes(source)] == [2, 3, 4, 5]


def test_nothing_outside_the_case_layer_writes_a_case_state_or_story():
    offences = []
    for path in _modules():
        for line, what in offending_writes(path.read_text(encoding="utf-8")):
            offences.append(f"{path.relative_to(PINGAN.parent)}:{line}: {what}")
    assert not offences, "只有案件层（pingan/cases）可以写案件的状态、期限和流转记录：\n" + "\n".join(offences)
