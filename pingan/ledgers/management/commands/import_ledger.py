"""manage.py import_ledger KIND FILE [--dry-run] [--skip-invalid] [--user USERNAME] [--max-rows N]

Exit status 0 only when every row went in (or, with --dry-run, would go in). Errors are printed in Chinese
with row, column, value and reason; nothing is written when any row is bad unless --skip-invalid, which
writes the good rows and saves the bad ones to <FILE>.errors.xlsx with a 错误原因 column. Progress goes to
stderr. The file's limits are the settings' (PINGAN_LEDGER_MAX_ROWS …); --max-rows raises the row cap for
one import run by an administrator on the server.
"""
from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand

from pingan import ledgers
from pingan.core.context import command_context
from pingan.ledgers.cli import CommandFailed, StderrProgress, fail, find_user
from pingan.ledgers.readers import ReadLimits
from pingan.ledgers.writers import write_errors


class Command(BaseCommand):
    help = "导入台账（.xlsx 或 .csv）。全部行导入成功时退出码为 0。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="台账类别，如 hazards")
        parser.add_argument("file", help="台账文件路径（.xlsx 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="写入正确的行，错误行另存为 <文件>.errors.xlsx")
        parser.add_argument("--user", default="admin", help="以哪个账号导入（默认 admin，区综治中心管理员）")
        parser.add_argument("--max-rows", type=int, default=None,
                            help="本次导入的数据行数上限（默认取设置 PINGAN_LEDGER_MAX_ROWS）")

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
        if not os.path.isfile(path):
            raise CommandFailed(f"文件不存在：{path}")
        user = find_user(options["user"])
        if options["max_rows"] is not None and options["max_rows"] < 1:
            raise CommandFailed("--max-rows 应为正整数。")
        progress = StderrProgress(self.stderr, "已检查" if options["dry_run"] else "已处理")
        with command_context("import_ledger"):
            try:
                result = ledgers.import_ledger(spec, path, user=user, dry_run=options["dry_run"],
                                               skip_invalid=options["skip_invalid"], progress=progress,
                                               limits=ReadLimits.from_settings(max_rows=options["max_rows"]))
            except PermissionDenied as exc:
                raise CommandFailed(str(exc)) from None
            finally:
                progress.finish()
        for warning in result.warnings:
            self.stdout.write(f"提示：{warning}")
        if result.file_error:
            raise CommandFailed(result.summary())
        for problem in result.problems:
            self.stderr.write(str(problem))
        if result.problems and options["skip_invalid"] and result.bad_rows:
            errors_path = f"{path}.errors.xlsx"
            reasons: dict[int, list[str]] = {}
            for problem in result.problems:
                reasons.setdefault(problem.row, []).append(f"{problem.header}：{problem.reason}")
            write_errors(errors_path, result.headers, result.bad_rows, reasons)
            self.stderr.write(f"错误行已保存到：{errors_path}")
        if options["dry_run"]:
            self.stdout.write("（试运行，未写入任何数据）")
        if result.problems:
            if not options["skip_invalid"] and not options["dry_run"]:
                self.stderr.write("有错误，未写入任何数据。改正后重新导入，或用 --skip-invalid 只导入正确的行。")
            raise CommandFailed(result.summary())
        self.stdout.write(result.summary())
