"""manage.py export_ledger KIND FILE [--jurisdiction CODE] [--user USERNAME]

Writes the ledger with the same headers the import reads (.xlsx, or .csv by the file's extension), codes as
labels, ID numbers masked unless the user may see them. The export is audited.
"""
from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand

from pingan.core import ledgers
from pingan.core.context import command_context
from pingan.core.ledgers.cli import CommandFailed, fail, find_user


class Command(BaseCommand):
    help = "导出台账（.xlsx 或 .csv），列与导入相同。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="台账类别，如 hazards")
        parser.add_argument("file", help="输出文件路径（.xlsx 或 .csv）")
        parser.add_argument("--jurisdiction", default="", help="只导出该区划代码及其下级的记录")
        parser.add_argument("--user", default="admin", help="以哪个账号导出（默认 admin）；只导出该账号可见的记录")

    def handle(self, *args, **options):
        try:
            self._run(options)
        except CommandFailed as exc:
            fail(self, exc)

    def _run(self, options):
        from pingan.geo.models import Node

        try:
            spec = ledgers.get(options["kind"])
        except ledgers.UnknownLedger as exc:
            raise CommandFailed(str(exc)) from None
        path = options["file"]
        if os.path.splitext(path)[1].lower() not in (".xlsx", ".csv"):
            raise CommandFailed("输出文件的扩展名应为 .xlsx 或 .csv。")
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise CommandFailed(f"目录不存在：{directory}")
        user = find_user(options["user"])
        node = None
        code = options["jurisdiction"].strip()
        if code:
            node = Node.objects.visible_to(user).filter(code=code).first()
            if node is None:
                raise CommandFailed(f"区划代码“{code}”不存在，或不在用户“{user.username}”的管辖范围内。")
        with command_context("export_ledger"):
            try:
                count = ledgers.export_ledger(spec, path, user=user, node=node)
            except PermissionDenied as exc:
                raise CommandFailed(str(exc)) from None
            except OSError as exc:
                raise CommandFailed(f"无法写入文件 {path}：{exc.strerror or exc}") from None
        where = f"（{node.name}）" if node else ""
        self.stdout.write(f"已导出{spec.label}台账{where} {count} 行到 {path}。")
