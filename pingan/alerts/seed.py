"""Demo data: run the periodic early-warning scan once after the registers are in, so the 预警中心 shows the
real overdue visits of the demo (and whatever other modules' scan rules find). Re-running raises nothing new."""
from __future__ import annotations

from pingan.core.registry import seeder
from pingan.core.seed import SeedContext

from .services import run_scan


@seeder("alerts", order=95)
def seed_alerts(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    totals = run_scan()
    raised = sum(t.get("raised", 0) for t in totals.values())
    ctx.log(f"预警扫描：新增预警 {raised} 条。")
