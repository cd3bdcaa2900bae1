"""manage.py purge_jobs [--days N]: delete the files (uploads, results, errors workbooks) of background jobs
that finished more than N days ago (default PINGAN_JOBS_KEEP_DAYS); the job records stay. Run it daily (cron
or a systemd timer, docs/deployment.md): the files hold personal data and should not outlive their use."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pingan.core.context import command_context
from pingan.jobs.services import jobs_purge


class Command(BaseCommand):
    help = "清理已完成的后台任务的文件（上传的台账、导出结果、错误行文件），任务记录保留。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="清理多少天前完成的任务（默认取设置 PINGAN_JOBS_KEEP_DAYS）")

    def handle(self, *args, **options):
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days 不能为负数。")
        with command_context("purge_jobs"):
            count = jobs_purge(older_than_days=days)
        self.stdout.write(f"已清理 {count} 个后台任务的文件。")
