"""manage.py demo_accounts: print the demo accounts and the demo password."""
from django.conf import settings
from django.core.management.base import BaseCommand

from pingan.accounts.models import User
from pingan.accounts.seed import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "列出演示账号（仅用于演示环境）。"

    def handle(self, *args, **options):
        self.stdout.write("演示账号（密码均为 %s，仅限演示环境使用）：" % settings.PINGAN_DEMO_PASSWORD)
        existing = set(User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list("username", flat=True))
        for username, role, scope in DEMO_ACCOUNTS:
            if username in existing:
                self.stdout.write(f"  {username:<10} {role:<12} {scope}")
