"""Demo data: run the periodic early-warning scan once after the registers are in, so the 预警中心 shows the
real overdue visits of the demo (and whatever other modules' scan rules find); then the centre's staff work on
some of them as an office would — signed for (签收), on the 研判 agenda, handled, one dismissed with its reason —
through the services (audited, told to the people concerned). Re-running raises and changes nothing new."""
from __future__ import annotations

from pingan.core.registry import seeder
from pingan.core.seed import SeedContext

from .services import alert_acknowledge, alert_handle, run_scan

NOTES = {"agenda": "", "handled": "已督促承办单位处置完毕，现场复核无问题。",
         "dismissed": "经核实已由当事人自行和解，不再具有激化风险。"}


@seeder("alerts", order=95)
def seed_alerts(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    from pingan.accounts.models import User
    from pingan.geo.models import Node

    from .models import Alert, Status

    worked_before = Alert.objects.exclude(status=Status.OPEN).exists()
    totals = run_scan()
    raised = sum(t.get("raised", 0) for t in totals.values())
    ctx.log(f"预警扫描：新增预警 {raised} 条。")
    county = Node.objects.filter(parent__isnull=True).order_by("path").first()
    staff = User.objects.filter(role="center_staff", scope=county, is_active=True).order_by("pk").first()
    if worked_before or staff is None:
        return
    # Oldest first, by a fixed rule: every third signed for, every fifth handled, every seventh on the agenda,
    # the first dispute warning dismissed with its reason.
    done = {"acknowledged": 0, "agenda": 0, "handled": 0, "dismissed": 0}
    dismissed = False
    for i, alert in enumerate(Alert.objects.filter(status=Status.OPEN).order_by("raised_at", "pk")):
        if not dismissed and alert.module == "disputes":
            alert_handle(actor=staff, alert=alert, status=Status.DISMISSED, note=NOTES["dismissed"])
            dismissed, done["dismissed"] = True, 1
        elif i % 5 == 4:
            alert_handle(actor=staff, alert=alert, status=Status.HANDLED, note=NOTES["handled"])
            done["handled"] += 1
        elif i % 7 == 6:
            alert_handle(actor=staff, alert=alert, status=Status.AGENDA, note="", agenda_item="本月平安建设形势研判会")
            done["agenda"] += 1
        elif i % 3 == 2:
            alert_acknowledge(actor=staff, alert=alert)
            done["acknowledged"] += 1
    ctx.log(f"预警处置：签收 {done['acknowledged']} 条，列入研判 {done['agenda']} 条，已处置 {done['handled']} 条，"
            f"排除 {done['dismissed']} 条。")
