"""manage.py export_ledger KIND FILE [--jurisdiction CODE] [--user USERNAME] [--full --reason TEXT]

Writes the ledger with the same headers the import reads (.xlsx, or .csv by the file's extension), codes as
labels. Personal numbers (ID, phone) are masked unless --full is given with --reason by a user who may reveal
them; where the district requires an approval for that (PINGAN_EXPORT_APPROVAL), a full export is requested
on the web (台账导入导出) and approved there, not from the command line. The export is audited (with the
reason and whether values were full). Progress goes to stderr.
"""
from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from pingan import ledgers
from pingan.core.context import command_context
from pingan.geo.models import Node
from pingan.ledgers.cli import CommandFailed, StderrProgress, fail, find_user
from pingan.ledgers.export import approval_required


class Command(BaseCommand):
    help = "导出台账（.xlsx 或 .csv），列与导入相同。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="台账类别，如 hazards")
        parser.add_argument("file", help="输出文件路径（.xlsx 或 .csv）")
        parser.add_argument("--jurisdiction", default="", help="只导出该区划代码及其下级的记录")
        parser.add_argument("--user", default="admin", help="以哪个账号导出（默认 admin）；只导出该账号可见的记录")
        parser.add_argument("--full", action="store_true",
                            help="导出完整的身份号码和电话（须有查看权限，并用 --reason 写明事由）；默认脱敏")
        parser.add_argument("--reason", default="", help="完整导出的事由（至少 4 个字），记入审计")

    def handle(self, *args, **options):
        try:
            self._run(options)
        except CommandFailed as exc:
            fail(self, exc)

    def _run(self, options):
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
        full = options["full"]
        if options["reason"] and not full:
            raise CommandFailed("--reason 只用于 --full（完整导出）。")
        if full and approval_required():
            raise CommandFailed("本区要求完整导出身份号码和电话须经审批：请在网页“台账导入导出”中提交导出申请，"
                                "由另一名有权查看身份号码的人员审批后导出。")
        progress = StderrProgress(self.stderr, "已导出")
        with command_context("export_ledger"):
            try:
                count = ledgers.export_ledger(spec, path, user=user, node=node, full=full,
                                              reason=options["reason"], progress=progress)
            except (PermissionDenied, ValidationError) as exc:
                message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise CommandFailed(message) from None
            except OSError as exc:
                raise CommandFailed(f"无法写入文件 {path}：{exc.strerror or exc}") from None
            finally:
                progress.finish()
        where = f"（{node.name}）" if node else ""
        masked = "（身份号码和电话为完整值）" if full else ("（身份号码和电话已脱敏）" if spec.personal_data else "")
        self.stdout.write(f"已导出{spec.label}台账{where} {count} 行到 {path}{masked}。")
