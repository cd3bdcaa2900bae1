"""Shared by the import_ledger and export_ledger commands: user lookup and failing with a Chinese message."""
from __future__ import annotations

import sys
from typing import Any

from pingan.accounts.models import User


class CommandFailed(Exception):
    """Ends a command with a Chinese message on stderr and a non-zero exit status, never a traceback."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message = message
        self.status = status


def find_user(username: str) -> Any:
    user = User.objects.select_related("scope").filter(username=username).first()
    if user is None:
        raise CommandFailed(f"找不到用户“{username}”，请用 --user 指定一个已有的账号。")
    if not user.is_active:
        raise CommandFailed(f"用户“{username}”已停用。")
    return user


def fail(command: Any, exc: CommandFailed) -> None:
    command.stderr.write(exc.message)
    sys.exit(exc.status)


class StderrProgress:
    """progress(done, total) for the commands: a line on stderr at most every `every` rows (a carriage-return
    line on a terminal), so a long import or export shows it is moving."""

    def __init__(self, stream: Any, verb: str, every: int = 2000):
        self.stream = stream
        self.verb = verb
        self.every = every
        self.last = -1
        self.tty = bool(getattr(getattr(stream, "_out", stream), "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        if done == self.last or (done - self.last < self.every and done != total):
            return
        self.last = done
        text = f"{self.verb} {done} / {total} 行" if total else f"{self.verb} {done} 行"
        if self.tty:
            self.stream.write(f"\r{text}", ending="")
            self.stream.flush()
        else:
            self.stream.write(text)

    def finish(self) -> None:
        if self.tty and self.last >= 0:
            self.stream.write("")
