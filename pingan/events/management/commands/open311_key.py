"""manage.py open311_key NAME [--channel hotline_12345] [--jurisdiction CODE]: issue an Open311 API key and
print it (shown once; only its hash is stored)."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pingan.core.context import command_context
from pingan.core.services import validation_message
from pingan.events import services
from pingan.events.choices import Channel
from pingan.geo.models import Node


class Command(BaseCommand):
    help = "签发一个 Open311 接口密钥并打印出来（只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="密钥名称，如 12345热线对接")
        parser.add_argument("--channel", default=Channel.PARTNER, help="渠道：" + "、".join(
            f"{v}（{l}）" for v, l in Channel.choices))
        parser.add_argument("--jurisdiction", default="", help="受理范围的区划代码（默认全区）")

    def handle(self, *args, name, channel, jurisdiction, **options):
        node = None
        if jurisdiction:
            node = Node.objects.filter(code=jurisdiction.strip()).first()
            if node is None:
                raise CommandError(f"找不到区划代码 {jurisdiction}。")
        with command_context("open311_key"):
            try:
                issued = services.open311_key_issue(actor=None, name=name, channel=channel, jurisdiction=node)
            except ValidationError as exc:
                raise CommandError(validation_message(exc)) from None
        self.stderr.write(f"已签发“{issued.key.name}”（{issued.key.get_channel_display()}，范围：{issued.key.jurisdiction.name}）。请妥善保存：")
        self.stdout.write(issued.secret)
