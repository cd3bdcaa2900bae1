"""What each kind of job does: a registry of handlers, one per `Job.Kind`, run by the worker with the owner's
rights (`services.job_run`). The jobs app knows no kind's work: the app that owns a kind registers its
handler from its AppConfig.ready() (the ledger checks, imports and exports: `pingan.ledgers.jobs`), with the
template that shows a finished job's result on the job page and the page the job was started from.
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


@dataclass(frozen=True)
class JobPage:
    result_template: str = ""  # included in the job's page once it has finished (context: job, result, problems)
    home_label: str = ""  # the page the job was started from: breadcrumb and "返回…" link
    home_url_name: str = ""
    label: str = ""  # what the kind is called on pages, for kinds registered from above (not in Job.Kind)


# kind -> handler(job, progress) -> Outcome
HANDLERS: dict[str, Callable[[Any, Any], Outcome]] = {}
PAGES: dict[str, JobPage] = {}


def register(kind: str, handler: Callable[[Any, Any], Outcome], *, result_template: str = "",
             home: tuple[str, str] | None = None, label: str = "") -> None:
    """`home`: (label, url name) of the page the job was started from; `label`: the kind's Chinese name (a
    module's own kind is not among Job.Kind's choices, which the jobs app keeps for the ledgers beneath it)."""
    HANDLERS[str(kind)] = handler
    home_label, url_name = home or ("", "")
    PAGES[str(kind)] = JobPage(result_template, home_label, url_name, label)


def page_for(kind: str) -> JobPage:
    return PAGES.get(str(kind), JobPage())


def homes() -> list[tuple[str, str]]:
    """The distinct (label, url name) pages jobs are started from, in registration order."""
    seen: list[tuple[str, str]] = []
    for page in PAGES.values():
        pair = (page.home_label, page.home_url_name)
        if page.home_url_name and pair not in seen:
            seen.append(pair)
    return seen


def handler_for(kind: str) -> Callable[[Any, Any], Outcome]:
    try:
        return HANDLERS[str(kind)]
    except KeyError:
        raise LookupError(f"no handler registered for job kind {kind!r}") from None
