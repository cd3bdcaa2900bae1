"""manage.py report --kind monthly|quarterly|annual|custom --period 2017|2017-03|2017-Q1 [--jurisdiction CODE]
--format docx|xlsx --output FILE [--user USERNAME]

Writes the 平安建设 report of the period and the place (default the whole county) to FILE. Without --user it
runs as the system (every record of the county); with --user, as that account sees it (its scope, its role's
data kinds, its reports capability). Bad input (a period that does not fit the kind, an unknown place, an
unknown user, a file that cannot be written) ends with a Chinese message and exit status 2; nothing is
written then.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand

from pingan.geo.params import BadRequest, resolve_node
from pingan.reports import periods, services


ARGPARSE_MESSAGES = (  # argparse speaks English; the command's user reads Chinese
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少必填参数：{0}（用法见 manage.py report --help）"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "无法识别的参数：{0}（用法见 manage.py report --help）"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 缺少取值。"),
    (re.compile(r"^argument (\S+): (.+)$"), "参数 {0} 无效：{1}"),
)


def chinese(message: str) -> str:
    for pattern, text in ARGPARSE_MESSAGES:
        match = pattern.match(message)
        if match:
            return text.format(*match.groups())
    return message


class Command(BaseCommand):
    help = "生成平安建设工作报告（Word 或 Excel）。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        english = parser.error
        parser.error = lambda message: english(chinese(message))
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, help="报告类型：monthly（月度）、quarterly（季度）、annual（年度）、custom（自定义期间）")
        parser.add_argument("--period", required=True, help="报告期：2017、2017-Q1、2017-03 或 2017-01-01~2017-06-30")
        parser.add_argument("--jurisdiction", default="", help="区划代码或名称（默认整个辖区）")
        parser.add_argument("--format", default="", help="docx 或 xlsx（默认按输出文件的扩展名）")
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument("--user", default="", help="以该账号的权限和管辖范围生成（默认系统身份）")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, **options):
        from pingan.accounts.models import User

        output = options["output"]
        fmt = options["format"] or os.path.splitext(output)[1].lstrip(".")
        user = None
        try:
            if options["user"]:
                user = User.objects.filter(username=options["user"], is_active=True).select_related("scope").first()
                if user is None:
                    raise BadRequest(f"账号“{options['user'][:40]}”不存在或已停用。")
                if not services.may_generate(user):
                    raise BadRequest(f"账号“{user.username}”的角色不能生成平安建设报告。")
            period = periods.parse(options["kind"], options["period"])
            fmt = services.check_format(fmt)
            node = resolve_node(options["jurisdiction"], user)
        except BadRequest as exc:
            self.fail(exc.message)
        folder = os.path.dirname(os.path.abspath(output)) or "."
        if os.path.isdir(output):
            self.fail(f"输出路径“{output}”是一个目录，请写明文件名，如 {output.rstrip('/')}/报告.{fmt}。")
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK) \
                or (os.path.exists(output) and not os.access(output, os.W_OK)):
            self.fail(f"无法写入输出文件“{output}”：目录不存在或没有写入权限。")
        try:
            content, name = services.report_generate(actor=user, period=period, node=node, fmt=fmt)
        except PermissionDenied as exc:
            self.fail(str(exc))
        try:  # written whole or not at all
            handle, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(tmp, output)
        except OSError as exc:
            self.fail(f"无法写入输出文件“{output}”：{exc.strerror or exc}。")
        self.stdout.write(f"已生成 {name}：{output}（{len(content)} 字节）")
