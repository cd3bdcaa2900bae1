"""manage.py purge_notifications [--days N]: delete read notifications and reminder records older than N days
(default 180); unread notifications stay. Audited."""
from django.core.management.base import BaseCommand, CommandError

from pingan.notifications.services import notifications_purge

MAX_DAYS = 36_500  # a hundred years: more than any retention rule


class Command(BaseCommand):
    help = "清理 N 天前（默认 180 天）的已读消息和到期提醒记录；未读消息保留。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=180, help="保留天数（至少 1）")

    def handle(self, *args, days=180, **options):
        if days < 1:
            raise CommandError("保留天数至少为 1。")
        if days > MAX_DAYS:
            raise CommandError(f"保留天数不能超过 {MAX_DAYS}。")
        result = notifications_purge(days=days)
        self.stdout.write(f"已清理已读消息 {result['notifications']} 条、提醒记录 {result['reminders']} 条。")
