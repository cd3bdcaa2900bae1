"""manage.py seed_demo [--scale small|district|province] [--seed N] [--structure-only]."""
from __future__ import annotations

import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

from pingan.core import registry
from pingan.core.context import command_context
from pingan.core.seed import SeedContext


def discover_seeders() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("pingan.") and find_spec(f"{config.name}.seed"):
            import_module(f"{config.name}.seed")


class Command(BaseCommand):
    help = "生成确定性的演示数据（同一 --seed 生成相同数据）；重复运行保留已有数据，只补充缺少的部分。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "district", "province"], default="district",
                            help="small：完整辖区结构与少量业务数据（make run 默认）；district：全区规模；province：多县规模")
        parser.add_argument("--seed", type=int, default=2017, help="随机种子（默认 2017）")
        parser.add_argument("--structure-only", action="store_true",
                            help="只建辖区、网格、部门和账号，不生成人员和案件（用于导入真实台账）")

    def handle(self, *args, **options):
        password = settings.PINGAN_DEMO_PASSWORD
        if not password:
            raise CommandError("PINGAN_DEMO_PASSWORD 不能为空。")
        discover_seeders()
        ctx = SeedContext(seed=options["seed"], scale=options["scale"], structure_only=options["structure_only"],
                          password=password, password_hash=make_password(password), stdout=self.stdout)
        with command_context("seed_demo"):
            for name, func in registry.seeders():
                started = time.monotonic()
                func(ctx)
                self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} 秒")
        self.stdout.write(self.style.SUCCESS("演示数据就绪。"))
