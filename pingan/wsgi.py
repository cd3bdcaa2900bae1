"""WSGI entry point (gunicorn pingan.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
application = get_wsgi_application()
