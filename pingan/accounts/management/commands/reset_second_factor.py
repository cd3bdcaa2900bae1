"""manage.py reset_second_factor USERNAME: clear an account's second factor on the server (a lost phone).

The web reset (the 安全管理员's button) never reaches the auditor's or a security admin's account, nor the
security admin's own; this command reaches every account, as the system, audited with the channel
cli:reset_second_factor. A role that must use a second factor enrols again at its next login.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from pingan.accounts import services
from pingan.accounts.models import User
from pingan.core.context import command_context


class Command(BaseCommand):
    help = "重置账号的双因素认证（清除身份验证器和恢复码，API 令牌失效），本人下次登录时重新设置。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在。")
        with command_context("reset_second_factor"):
            try:
                services.reset_second_factor(actor=None, user=user)
            except (PermissionDenied, ValidationError) as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"已重置 {user.username} 的双因素认证；本人下次登录时重新设置。")
