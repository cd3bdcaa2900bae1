"""manage.py load_boundaries FILE.geojson [--match code|name] [--under CODE]: a county's boundaries."""
import os

from django.core.management.base import BaseCommand, CommandError

from pingan.core.context import command_context
from pingan.geo.boundaries import MAX_FILE_BYTES, BoundaryError
from pingan.geo.models import Node
from pingan.geo.services import boundaries_load


class Command(BaseCommand):
    help = ("从 GeoJSON 要素集合载入辖区边界（县区、乡镇、村社区或网格的面）；要素的属性用区划代码（code）或名称（name）"
            "对应辖区。任何一个要素有错误都不会载入；重复载入不会改变任何数据。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON 文件路径（FeatureCollection，经纬度坐标）")
        parser.add_argument("--match", choices=["code", "name"], default="code",
                            help="按区划代码（code，默认）或名称（name）对应辖区")
        parser.add_argument("--under", default="", help="只在此区划代码之下按名称查找（名称重复时用）")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            size = os.path.getsize(path)
            if size > MAX_FILE_BYTES:
                raise CommandError(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB；"
                                   "请先简化边界再载入。")
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        under = None
        if options["under"]:
            under = Node.objects.filter(code=options["under"].strip()).first()
            if under is None:
                raise CommandError(f"区划代码“{options['under'][:20]}”不存在。")
        try:
            with command_context("load_boundaries"):
                result = boundaries_load(actor=None, data=data, match=options["match"], source=os.path.basename(path),
                                         under=under)
        except BoundaryError as exc:
            raise CommandError("文件未载入，发现以下错误：\n" + "\n".join(exc.errors[:50])
                               + (f"\n……共 {len(exc.errors)} 处错误。" if len(exc.errors) > 50 else "")) from None
        self.stdout.write(f"载入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
