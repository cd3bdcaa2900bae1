"""Exit 0 when the PostgreSQL server of a DATABASE_URL accepts connections (to its maintenance database)."""
import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"] or "postgres",
                    password=config["PASSWORD"] or None, dbname="postgres", connect_timeout=5).close()
except Exception as exc:  # any failure means "not reachable" here
    print(f"PostgreSQL 连接失败：{exc}", file=sys.stderr)
    sys.exit(1)
