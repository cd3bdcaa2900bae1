"""Shared by the import_ledger and export_ledger commands: user lookup and failing with a Chinese message."""
from __future__ import annotations

import sys
from typing import Any


class CommandFailed(Exception):
    """Ends a command with a Chinese message on stderr and a non-zero exit status, never a traceback."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message = message
        self.status = status


def find_user(username: str) -> Any:
    from pingan.accounts.models import User

    user = User.objects.select_related("scope").filter(username=username).first()
    if user is None:
        raise CommandFailed(f"找不到用户“{username}”，请用 --user 指定一个已有的账号。")
    if not user.is_active:
        raise CommandFailed(f"用户“{username}”已停用。")
    return user


def fail(command: Any, exc: CommandFailed) -> None:
    command.stderr.write(exc.message)
    sys.exit(exc.status)
