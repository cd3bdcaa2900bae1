"""manage.py case_reminders [--schedule]: deadline reminders (pingan/cases/reminders.py).

--schedule   enqueue the periodic reminder task on the background worker, unless a run is already waiting
             (`make run` calls it before starting `db_worker`; the task then re-enqueues itself every
             PINGAN_REMINDER_INTERVAL_MINUTES).
(no option)  run the reminders once now, in this process, and print what was sent (for a system cron
             instead of the worker, or to check by hand); schedules nothing.
"""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "到期提醒：--schedule 将定期提醒任务交给后台任务进程（已有待运行的则不重复）；不带参数则立即运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="交给后台任务进程定期运行（幂等）")

    def handle(self, *args, schedule=False, **options):
        from pingan.cases import reminders
        from pingan.notifications.services import release_held_sms

        if schedule:
            if reminders.schedule():
                self.stdout.write(f"已安排到期提醒任务：每 {int(reminders.interval().total_seconds() // 60)} 分钟运行一次。")
            else:
                self.stdout.write("到期提醒任务已在排队，无需重复安排。")
            return
        totals = reminders.run_reminders()
        sms = release_held_sms()
        self.stdout.write(f"即将到期提醒 {totals['due_soon']} 件，超期提醒 {totals['overdue']} 件；"
                          f"补发短信 {sms.get('sent', 0)} 条。")
