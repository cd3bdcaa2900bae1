"""What each kind of job does: a registry of handlers, one per `Job.Kind`, run by the worker with the owner's
rights (`services.job_run`). The jobs app knows no kind's work: the app that owns a kind registers its
handler from its AppConfig.ready() (the ledger checks, imports and exports: `pingan.ledgers.jobs`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Outcome:
    status: str
    message: str
    result: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)


# kind -> handler(job, progress) -> Outcome
HANDLERS: dict[str, Callable[[Any, Any], Outcome]] = {}


def register(kind: str, handler: Callable[[Any, Any], Outcome]) -> None:
    HANDLERS[str(kind)] = handler


def handler_for(kind: str) -> Callable[[Any, Any], Outcome]:
    try:
        return HANDLERS[str(kind)]
    except KeyError:
        raise LookupError(f"no handler registered for job kind {kind!r}") from None
