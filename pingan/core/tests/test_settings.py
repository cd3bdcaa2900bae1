"""One env-driven settings file that stops start-up with a clear message on a bad value."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pingan import settings as pingan_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)])
def test_booleans_are_read_strictly(monkeypatch, value, expected):
    monkeypatch.setenv("DEBUG", value)
    assert pingan_settings.env_bool("DEBUG") is expected


@pytest.mark.parametrize("helper, name, value", [
    (lambda: pingan_settings.env_bool("DEBUG"), "DEBUG", "maybe"),
    (lambda: pingan_settings.env_int("PINGAN_IDLE_MINUTES", 30, 1, 1440), "PINGAN_IDLE_MINUTES", "半小时"),
    (lambda: pingan_settings.env_int("PINGAN_IDLE_MINUTES", 30, 1, 1440), "PINGAN_IDLE_MINUTES", "0"),
    (lambda: pingan_settings.env_list("ALLOWED_HOSTS", []), "ALLOWED_HOSTS", " , "),
    (pingan_settings._secret_key, "SECRET_KEY", "short"),
    (pingan_settings._database, "DATABASE_URL", "mysql://root@localhost/x"),
])
def test_a_bad_value_raises_a_chinese_message(monkeypatch, helper, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        helper()
    assert name in str(caught.value)


def test_database_url_selects_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/other")
    assert pingan_settings._database()["NAME"] == "other"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///other.sqlite3")
    config = pingan_settings._database()
    assert config["NAME"] == "other.sqlite3" and "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_manage_py_stops_with_the_message_and_no_traceback():
    env = {**os.environ, "DEBUG": "perhaps"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "DEBUG" in result.stderr and "无效" in result.stderr
    assert "Traceback" not in result.stderr


def test_https_turns_on_secure_cookies_and_hsts():
    env = {**os.environ, "HTTPS": "1"}
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    result = subprocess.run([sys.executable, "-c", f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pingan.settings'; django.setup(); {code}"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "31536000", "True"], result.stderr


def test_debug_is_off_unless_asked():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run([sys.executable, "-c", "import os; os.environ['DJANGO_SETTINGS_MODULE']='pingan.settings'; "
                             "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
