"""manage.py admin_account: the admin accounts (系统管理员, 安全管理员, 审计管理员), kept on the server only.

Three-role separation (等保 2.0 8.1.5): no web page creates these accounts, sets their passwords or changes their
state, so none of the three can take over another. Whoever holds the server's shell keeps them, and every
action is audited with the channel cli:admin_account.

  manage.py admin_account create USERNAME --role district_admin|security_admin|auditor --scope CODE [--full-name 姓名]
  manage.py admin_account reset-password USERNAME
  manage.py admin_account unlock USERNAME
  manage.py admin_account deactivate USERNAME
  manage.py admin_account activate USERNAME

A new account and a reset get a temporary password, printed once, that must be changed at the first login.
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pingan.accounts import services
from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.core.context import command_context
from pingan.core.services import validation_message
from pingan.geo.models import Node

ADMIN_ROLE_HELP = "、".join(f"{role}（{Role(role).label}）" for role in sorted(services.ADMIN_ROLES))


class Command(BaseCommand):
    help = "在服务器上建立和维护系统管理员、安全管理员、审计管理员账号（网页上不能操作这些账号）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="动作")
        create = sub.add_parser("create", help="新建管理员账号，打印临时密码（只显示这一次）")
        create.add_argument("username")
        create.add_argument("--role", required=True, help=f"角色：{ADMIN_ROLE_HELP}")
        create.add_argument("--scope", required=True, help="管辖范围的区划代码，如 140311")
        create.add_argument("--full-name", default="")
        create.add_argument("--post", default="")
        create.add_argument("--phone", default="")
        for name, text in (("reset-password", "重置密码为临时密码（只显示这一次），下次登录须修改"),
                           ("unlock", "解除登录失败锁定"), ("deactivate", "停用账号（API 令牌随即失效）"),
                           ("activate", "重新启用账号")):
            sub.add_parser(name, help=text).add_argument("username")

    def handle(self, *args, action, username, **options):
        with command_context("admin_account"):
            try:
                if action == "create":
                    self._create(username, **options)
                    return
                user = self._admin(username)
                if action == "reset-password":
                    password = services.user_reset_password(actor=None, user=user)
                    self.stderr.write(f"已重置 {user.username} 的密码。临时密码（只显示这一次，下次登录须修改）：")
                    self.stdout.write(password)
                elif action == "unlock":
                    services.user_unlock(actor=None, user=user)
                    self.stderr.write(f"已解锁 {user.username}。")
                else:
                    services.user_security_update(actor=None, user=user, data={"is_active": action == "activate"})
                    self.stderr.write(f"已{'启用' if action == 'activate' else '停用'} {user.username}。")
            except ValidationError as exc:
                raise CommandError(validation_message(exc)) from None

    def _admin(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到账号“{username}”。")
        if user.role not in services.ADMIN_ROLES:
            raise CommandError(f"“{username}”是{user.get_role_display()}账号：工作账号由系统管理员在网页上维护。")
        return user

    def _create(self, username: str, *, role: str, scope: str, full_name: str, post: str, phone: str, **_) -> None:
        if role not in services.ADMIN_ROLES:
            raise CommandError(f"角色须为 {ADMIN_ROLE_HELP} 之一；工作账号由系统管理员在网页上新建。")
        node = Node.objects.filter(code=scope.strip()).first()
        if node is None:
            raise CommandError(f"找不到区划代码 {scope}。")
        password = services.generate_temporary_password()
        user = services.user_create(actor=None, username=username, password=password, role=role, scope=node,
                                    full_name=full_name, post=post, phone=phone, temporary_password=True)
        self.stderr.write(f"已新建{user.get_role_display()} {user.username}（{node.name}）。"
                          "临时密码（只显示这一次，首次登录须修改）：")
        self.stdout.write(password)
