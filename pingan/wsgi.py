"""WSGI entry point (gunicorn pingan.wsgi)."""
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:  # a bad environment variable: say which, without a traceback
    sys.stderr.write(f"配置错误：{exc}\n")
    sys.exit(2)
