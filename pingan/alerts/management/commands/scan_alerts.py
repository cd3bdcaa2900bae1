"""manage.py scan_alerts [--schedule]: the periodic early-warning rules (pingan/alerts).

--schedule   enqueue the periodic scan on the background worker unless a run is already waiting (`make run`
             calls it before starting `db_worker`; the task re-enqueues itself every
             PINGAN_ALERT_SCAN_INTERVAL_MINUTES, default 60).
(no option)  scan once now, in this process, and print what was raised and closed (for a system cron, or to
             check by hand); schedules nothing.
"""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "预警扫描：--schedule 将定期扫描交给后台任务进程（已有待运行的则不重复）；不带参数则立即扫描一次。"

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="交给后台任务进程定期运行（幂等）")

    def handle(self, *args, schedule=False, **options):
        from pingan.alerts import tasks
        from pingan.alerts.registry import get_rule
        from pingan.alerts.services import run_scan

        if schedule:
            if tasks.schedule():
                minutes = int(tasks.interval().total_seconds() // 60)
                self.stdout.write(f"已安排预警扫描任务：每 {minutes} 分钟运行一次。")
            else:
                self.stdout.write("预警扫描任务已在排队，无需重复安排。")
            return
        totals = run_scan()
        if not totals:
            self.stdout.write("没有需要定期扫描的预警规则。")
        for key, counts in totals.items():
            failed = "（扫描出错，详见日志）" if counts.get("failed") else ""
            self.stdout.write(f"{get_rule(key).label}：新增预警 {counts['raised']} 条，自动关闭 {counts['resolved']} 条{failed}")
