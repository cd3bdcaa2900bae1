"""Per-request context (request id, client address, acting user) for audit entries.

Set by RequestContextMiddleware; management commands set it with `command_context`. Contextvars keep it
correct under threads and async alike.
"""
from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    address: str = ""
    channel: str = "web"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("pingan_request", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=uuid.uuid4().hex, channel="internal")
    return ctx


@contextmanager
def bind(ctx: RequestContext):
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def command_context(name: str):
    """Wrap a management command so its writes share one request id in the audit log."""
    with bind(RequestContext(request_id=uuid.uuid4().hex, address="", channel=f"cli:{name}")) as ctx:
        yield ctx
