"""Demo data of the case layer: after the kinds have seeded their cases, one run of the deadline reminders, so
the demo's handling units find their 即将到期 and 已超期 notices in the inbox (the bell) as they would on a
running system (the bulk registration of seeds sends no per-case notifications)."""
from __future__ import annotations

from pingan.core.registry import seeder

from .reminders import run_reminders


@seeder("reminders", order=90)
def seed_reminders(ctx) -> None:
    if ctx.structure_only:
        return
    totals = run_reminders()
    ctx.stdout.write(f"  到期提醒：即将到期 {totals['due_soon']} 件，已超期 {totals['overdue']} 件")
