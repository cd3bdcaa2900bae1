"""Create the benchmark database (if missing) and migrate it; benchmarks then add their own data."""
import os
import sys

import dj_database_url
import psycopg

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
config = dj_database_url.parse(os.environ["DATABASE_URL"])
with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"] or "postgres",
                     dbname="postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
call_command("seed_demo", scale="small", structure_only=True, verbosity=0)
print("基准测试数据库已就绪：", config["NAME"])
