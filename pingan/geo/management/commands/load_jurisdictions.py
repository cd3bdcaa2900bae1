"""manage.py load_jurisdictions FILE: load a county's tree from a CSV (code,name,level,parent_code)."""
from django.core.management.base import BaseCommand, CommandError

from pingan.core.context import command_context
from pingan.geo.services import LoadError, jurisdictions_load


class Command(BaseCommand):
    help = "从 CSV 文件（code,name,level,parent_code）载入或更新辖区树；重复载入不会改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件路径")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        try:
            with command_context("load_jurisdictions"):
                result = jurisdictions_load(actor=None, data=data, source=path)
        except LoadError as exc:
            raise CommandError("文件未载入，发现以下错误：\n" + "\n".join(exc.errors)) from None
        self.stdout.write(f"载入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
