"""The generic surface of the case layer: one implementation of a case's page, its actions, 督办, 延期, the
work queue and the attachments, used by every kind and mounted under the kind's own URL namespace.

A kind declares its surface once (`Surface`, registered with `register_surface`) and mounts the routes with
`case_urlpatterns(label)` in its `urls.py`:

    <pk>/                       detail              the shell: header, the kind's fields, actions, 督办, 延期, log
    <pk>/act/?action=<name>     act                 GET: that one step's form (no action: the list of steps)
    <pk>/supervise/             supervise           督办 (GET form, POST)
    <pk>/supervision-reply/     supervision_reply   督办反馈
    <pk>/extension/             extension_request   延期申请
    <pk>/extension/decide/      extension_decide    延期审批
    queue/                      queue               tabs declared by the kind (QueueTab), "mine" means mine

Rules every view follows: a role without the right to write (the leader) or to take the step is refused with
403 and the refusal is audited; a case outside the user's scope is 404 (`get_visible_or_404`); bad input is a
400 with the errors beside the form's fields (one shape: field → [messages]); the engine does the writing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from pingan.core import audit
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import PAGE_SIZE

from . import engine
from .definitions import CaseKind, Transition, get_kind
from .forms import (ActionForm, ExtensionDecideForm, ExtensionRequestForm, SuperviseForm, SupervisionReplyForm,
                    add_engine_errors)
from .models import Extension, Supervision, WorkflowAttachment


# --- the declaration of a kind's pages ---------------------------------------------------------------------
@dataclass(frozen=True)
class QueueTab:
    """One tab of the work queue: `filter(qs, user, kind) -> qs` narrows the user's own cases
    (`Model.objects.mine(user)`); `shown(user, kind)` says whether the user gets the tab at all."""

    name: str
    label: str
    filter: Callable[[Any, Any, CaseKind], Any]
    shown: Callable[[Any, CaseKind], bool] | None = None
    order_by: tuple[str, ...] = ("due_at", "id")


def _todo(qs, user, kind: CaseKind):
    """Cases in a state where the user's role holds one of the steps (the kind may narrow it further)."""
    states = sorted({s for t in kind.transitions if user.can(t.capability) for s in t.sources})
    return qs.filter(state__in=states) if states else qs.none()


def _open_supervision(label: str):
    return Supervision.objects.filter(case_type=label, case_id=OuterRef("pk"), status=Supervision.Status.OPEN)


def _pending_extension(label: str):
    return Extension.objects.filter(case_type=label, case_id=OuterRef("pk"), status=Extension.Status.PENDING)


def _supervised(qs, user, kind: CaseKind):
    return qs.open().filter(Exists(_open_supervision(kind.label)))


def _extensions(qs, user, kind: CaseKind):
    return qs.open().filter(Exists(_pending_extension(kind.label)))


def _may_approve(user, kind: CaseKind) -> bool:
    return bool(kind.extension_approve_capability and user.can(kind.extension_approve_capability))


TODO_TAB = QueueTab("todo", "待我处理", _todo)
OVERDUE_TAB = QueueTab("overdue", "已超期", lambda qs, user, kind: qs.overdue())
SUPERVISED_TAB = QueueTab("supervised", "督办中", _supervised)
EXTENSIONS_TAB = QueueTab("extensions", "待审批延期", _extensions, shown=_may_approve, order_by=("id",))
DEFAULT_TABS = (TODO_TAB, OVERDUE_TAB, SUPERVISED_TAB, EXTENSIONS_TAB)


@dataclass(frozen=True)
class Surface:
    """How a kind's cases look on the generic pages.

    - `namespace`: the URL namespace of the kind's pages ("events"); its list page is `<namespace>:list`.
    - `detail_template`: a template extending "cases/detail.html" that fills `{% block case_fields %}` with the
      kind's own fields (and `head`/`scripts` when it needs a map); `detail_queryset()` gives its joins and
      `detail_context(request, case, names)` any extra context (names: the steps the user may take).
    - `action_forms`: action name → an `ActionForm` subclass replacing the generated form of that step;
      `photo_steps`: the steps that take photos (None: every step that moves the state); `next_steps`: step
      names in the order they usually come (otherwise primary steps before secondary, then danger).
    - `queue_tabs`: the tabs of the work queue; `list_columns`: (label, dotted attribute) of its rows beside
      number, state and due moment; `title(case)`: the heading.
    """

    kind: str
    namespace: str
    detail_template: str = "cases/detail.html"
    detail_queryset: Callable[[], Any] | None = None
    detail_context: Callable[[Any, Any, set], dict] | None = None
    action_forms: dict[str, type] = field(default_factory=dict)
    photo_steps: tuple[str, ...] | None = None
    next_steps: tuple[str, ...] = ()
    queue_tabs: tuple[QueueTab, ...] = DEFAULT_TABS
    list_columns: tuple[tuple[str, str], ...] = ()
    title: Callable[[Any], str] | None = None

    @property
    def model(self):
        return apps.get_model(self.kind)

    @property
    def case_kind(self) -> CaseKind:
        return get_kind(self.kind)


_SURFACES: dict[str, Surface] = {}


def register_surface(surface: Surface) -> Surface:
    _SURFACES[surface.kind] = surface
    return surface


def surface_for(label_or_case: Any) -> Surface:
    label = label_or_case if isinstance(label_or_case, str) else label_or_case._meta.label_lower
    try:
        return _SURFACES[label]
    except KeyError:
        raise LookupError(f"案件类型 {label} 没有声明页面（cases.views.register_surface）") from None


# --- shared helpers ----------------------------------------------------------------------------------------
STYLE_ORDER = {"": 0, "secondary": 1, "danger": 2}


def ordered_actions(user, case, surface: Surface) -> list[Transition]:
    """The steps `user` may take now, the likely next step first: the kind's `next_steps` order, then primary
    steps before secondary ones before dangerous ones, then the order of the declaration."""
    kind = surface.case_kind
    declared = [t.name for t in kind.transitions]
    hint = {name: i for i, name in enumerate(surface.next_steps)}
    actions = engine.allowed_actions(user, case)
    return sorted(actions, key=lambda t: (STYLE_ORDER.get(t.style, 1), hint.get(t.name, len(hint)),
                                          declared.index(t.name)))


def may_take_anywhere(user, case, t: Transition) -> bool:
    """The role and the kind's own rule allow `t` on this case, whatever its state (a refusal is a 403; a
    step the role may take but not in this state is bad input, a 400), in the engine's order."""
    return bool(user.can(t.capability) and (t.allowed is None or t.allowed(user, case)))


def _require_cases(user) -> None:
    if not user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看案件。")


def _data_kind(surface: Surface) -> str:
    """The kind of data the surface's cases are (campaign clues are "clue", core.scoping)."""
    return getattr(surface.model, "scope_data_kind", "case")


def _require_write(request) -> None:
    """Leaders read only: every write route refuses them before reading the form (audited)."""
    if not request.user.can("data.write"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色只能查看，不能办理。")


def _case_or_404(request, surface: Surface, pk):
    _require_cases(request.user)
    qs = surface.detail_queryset() if surface.detail_queryset else surface.model.objects.all()
    return get_visible_or_404(qs.with_overdue(), request.user, pk=pk)


def _urls(surface: Surface, case) -> dict[str, str]:
    ns = surface.namespace
    return {name: reverse(f"{ns}:{name}", args=[case.pk])
            for name in ("detail", "act", "supervise", "supervision_reply", "extension_request", "extension_decide")} \
        | {"list": _reverse_or_blank(f"{ns}:list"), "queue": _reverse_or_blank(f"{ns}:queue")}


def _reverse_or_blank(name: str) -> str:
    try:
        return reverse(name)
    except Exception:  # a kind without a list page
        return ""


def _header(request, surface: Surface, case) -> dict:
    """What every page of one case shows at the top: number, kind, state, due moment, badges."""
    kind = surface.case_kind
    return {
        "case": case, "kind": kind, "surface": surface, "urls": _urls(surface, case),
        "case_title": surface.title(case) if surface.title else str(case),
        "state_label": kind.state_label(case.state),
        "is_closed": case.state in kind.closed_states,
        "is_overdue": bool(getattr(case, "is_overdue", False)),
    }


def _photo_step(surface: Surface, t: Transition) -> bool:
    if surface.photo_steps is None:
        return not getattr(t, "keeps_state", False)
    return t.name in surface.photo_steps


def action_form(surface: Surface, case, t: Transition, user, data=None, files=None) -> ActionForm:
    form_class = surface.action_forms.get(t.name, ActionForm)
    required = engine.photo_required(surface.case_kind, t, case)
    return form_class(data, files, case=case, transition=t, user=user, photos=_photo_step(surface, t),
                      photo_required=required)


# --- one case ----------------------------------------------------------------------------------------------
def detail(request, pk: int, *, kind_label: str):
    """The case's page: header, the kind's fields, the steps as plain buttons (each opening its own form),
    open 督办 with their reply, pending 延期 with their decision, and the whole log with photos."""
    surface = surface_for(kind_label)
    user = request.user
    case = _case_or_404(request, surface, pk)
    actions = ordered_actions(user, case, surface)
    supervisions = list(engine.case_supervisions(case))
    extensions = list(engine.case_extensions(case))
    pending = [x for x in extensions if x.status == Extension.Status.PENDING]
    may_handle = engine.may_handle(user, case)
    context = _header(request, surface, case) | {
        "actions": actions,
        "log": _log_rows(surface.case_kind, case),
        "supervisions": supervisions,
        "extensions": extensions,
        "open_supervisions": [s for s in supervisions if s.status == Supervision.Status.OPEN],
        "may_supervise": engine.may_supervise(user, case),
        "may_handle": may_handle,
        "may_request_extension": may_handle and not pending,
        "approvable": [x for x in pending if engine.may_approve_extension(user, x, case)],
    }
    if surface.detail_context:
        context |= surface.detail_context(request, case, {t.name for t in actions})
    return render(request, surface.detail_template, context)


def _log_rows(kind: CaseKind, case) -> list:
    rows = list(engine.case_log(case))
    for row in rows:
        row.from_label = kind.state_label(row.from_state) if row.from_state else ""
        row.to_label = kind.state_label(row.to_state) if row.to_state else ""
    return rows


def _render_form(request, surface, case, template: str, extra: dict, status: int = 200):
    return render(request, template, _header(request, surface, case) | extra, status=status)


@require_http_methods(["GET", "POST"])
def act(request, pk: int, *, kind_label: str):
    """One step of the workflow: GET `?action=<name>` shows just that step's form; POST takes it."""
    _require_write(request)
    surface = surface_for(kind_label)
    user = request.user
    case = _case_or_404(request, surface, pk)
    kind = surface.case_kind
    actions = ordered_actions(user, case, surface)
    name = (request.POST.get("action") if request.method == "POST" else request.GET.get("action")) or ""
    try:
        t = kind.transition(name)
    except KeyError:
        t = None
    if t is None:
        status = 400 if request.method == "POST" or name else 200
        error = "请选择要执行的操作。" if not name else f"没有“{name[:40]}”这个操作。"
        return _render_form(request, surface, case, "cases/act.html",
                            {"actions": actions, "form": None, "choose_error": error if status == 400 else ""},
                            status=status)
    if t not in actions:
        if not may_take_anywhere(user, case, t):
            engine.deny(user, case, t.name, f"您不能对此{kind.verbose_name}执行“{t.label}”。")
        message = (f"此{kind.verbose_name}当前状态为“{kind.state_label(case.state)}”，不能“{t.label}”："
                   "可能已被他人处理，请刷新页面后查看。")
        return _render_form(request, surface, case, "cases/act.html",
                            {"actions": actions, "form": None, "choose_error": message}, status=400)
    if request.method == "GET":
        form = action_form(surface, case, t, user)
        return _render_form(request, surface, case, "cases/act.html", {"actions": actions, "form": form, "t": t})
    form = action_form(surface, case, t, user, request.POST, request.FILES)
    if form.is_valid():
        try:
            engine.transition(actor=user, case=case, action=t.name, data=form.case_data(),
                              note=form.cleaned_data.get("note", ""), photos=form.photos)
        except ValidationError as exc:
            add_engine_errors(form, exc)
        else:
            messages.success(request, f"已{t.label}，当前状态：{kind.state_label(case.state)}。")
            return redirect(f"{surface.namespace}:detail", pk=case.pk)
    return _render_form(request, surface, case, "cases/act.html", {"actions": actions, "form": form, "t": t},
                        status=400)


@require_http_methods(["GET", "POST"])
def supervise(request, pk: int, *, kind_label: str):
    """督办: a note to the handling unit with its own reply deadline."""
    _require_write(request)
    surface = surface_for(kind_label)
    user = request.user
    case = _case_or_404(request, surface, pk)
    kind = surface.case_kind
    if not (kind.supervise_capability and user.can(kind.supervise_capability)):
        engine.deny(user, case, "supervise", "您的角色不能督办。")
    form = SuperviseForm(request.POST if request.method == "POST" else None, days=kind.supervision_days)
    if request.method == "POST" and form.is_valid():
        try:
            engine.supervise(actor=user, case=case, note=form.cleaned_data["note"],
                             due_on=form.cleaned_data["due_on"])
        except ValidationError as exc:
            add_engine_errors(form, exc)
        else:
            messages.success(request, "已督办，承办单位将在待办队列中看到。")
            return redirect(f"{surface.namespace}:detail", pk=case.pk)
    closed = "" if engine.may_supervise(user, case) else f"此{kind.verbose_name}已办结，不能再督办。"
    status = 400 if request.method == "POST" or closed else 200
    return _render_form(request, surface, case, "cases/supervise.html", {"form": form, "closed": closed},
                        status=status)


@require_http_methods(["GET", "POST"])
def supervision_reply(request, pk: int, *, kind_label: str):
    """督办反馈: the handling unit answers an open 督办 (GET: the open ones, each with its reply form)."""
    _require_write(request)
    surface = surface_for(kind_label)
    user = request.user
    case = _case_or_404(request, surface, pk)
    if not engine.may_handle(user, case):
        engine.deny(user, case, "supervision_reply", "您不能代表承办单位反馈此督办。")
    open_ = [s for s in engine.case_supervisions(case) if s.status == Supervision.Status.OPEN]
    forms_ = {s.pk: SupervisionReplyForm(initial={"supervision": s.pk}) for s in open_}
    status = 200
    if request.method == "POST":
        form = SupervisionReplyForm(request.POST)
        status = 400
        if form.is_valid():
            supervision = next((s for s in open_ if s.pk == form.cleaned_data["supervision"]), None)
            if supervision is None:
                form.add_error(None, "找不到这条待反馈的督办，可能已经反馈过了。")
            else:
                try:
                    engine.supervision_reply(actor=user, supervision=supervision, case=case,
                                             reply=form.cleaned_data["reply"])
                except ValidationError as exc:
                    add_engine_errors(form, exc)
                else:
                    messages.success(request, "督办已反馈。")
                    return redirect(f"{surface.namespace}:detail", pk=case.pk)
        key = form.cleaned_data.get("supervision") if hasattr(form, "cleaned_data") else None
        if key in forms_:
            forms_[key] = form
        else:
            forms_["error"] = form
    return _render_form(request, surface, case, "cases/supervision_reply.html",
                        {"items": [(s, forms_[s.pk]) for s in open_], "error_form": forms_.get("error")},
                        status=status)


@require_http_methods(["GET", "POST"])
def extension_request(request, pk: int, *, kind_label: str):
    """延期申请 by the handling unit; the level above decides."""
    _require_write(request)
    surface = surface_for(kind_label)
    user = request.user
    case = _case_or_404(request, surface, pk)
    kind = surface.case_kind
    closed = case.state in kind.closed_states
    if not closed and not engine.may_handle(user, case):
        engine.deny(user, case, "extension_request", f"您不能为此{kind.verbose_name}申请延期。")
    form = ExtensionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            engine.extension_request(actor=user, case=case, new_deadline=form.cleaned_data["new_deadline"],
                                     reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_engine_errors(form, exc)
        else:
            messages.success(request, "延期申请已提交，等待上级审批。")
            return redirect(f"{surface.namespace}:detail", pk=case.pk)
    message = f"此{kind.verbose_name}已办结，不能申请延期。" if closed else ""
    status = 400 if request.method == "POST" or closed else 200
    return _render_form(request, surface, case, "cases/extension_request.html",
                        {"form": form, "closed": message, "max_days": kind.extension_max_days}, status=status)


@require_http_methods(["GET", "POST"])
def extension_decide(request, pk: int, *, kind_label: str):
    """延期审批: approve (the due moment moves) or refuse, with a reason when refused."""
    _require_write(request)
    surface = surface_for(kind_label)
    user = request.user
    case = _case_or_404(request, surface, pk)
    kind = surface.case_kind
    if not (kind.extension_approve_capability and user.can(kind.extension_approve_capability)):
        engine.deny(user, case, "extension_decide", "您的角色不能审批延期申请。")
    pending = [x for x in engine.case_extensions(case) if x.status == Extension.Status.PENDING]
    mine = [x for x in pending if engine.may_approve_extension(user, x, case)]
    forms_ = {x.pk: ExtensionDecideForm(initial={"extension": x.pk}) for x in mine}
    status = 200
    error_form = None
    if request.method == "POST":
        status = 400
        form = ExtensionDecideForm(request.POST)
        if form.is_valid():
            extension = next((x for x in pending if x.pk == form.cleaned_data["extension"]), None)
            if extension is None:
                form.add_error(None, "找不到这份待审批的延期申请，可能已经审批过了。")
            else:
                approve = form.cleaned_data["decision"] == "approve"
                try:
                    engine.extension_decide(actor=user, extension=extension, case=case, approve=approve,
                                            note=form.cleaned_data["decision_note"])
                except ValidationError as exc:
                    add_engine_errors(form, exc, rename={"note": "decision_note"})
                else:
                    done = f"批准，期限延至 {extension.new_deadline:%Y-%m-%d}" if approve else "驳回"
                    messages.success(request, f"延期申请已{done}。")
                    return redirect(f"{surface.namespace}:detail", pk=case.pk)
        key = form.cleaned_data.get("extension") if hasattr(form, "cleaned_data") else None
        if key in forms_:
            forms_[key] = form
        else:
            error_form = form
    return _render_form(request, surface, case, "cases/extension_decide.html",
                        {"items": [(x, forms_[x.pk]) for x in mine], "error_form": error_form,
                         "others": [x for x in pending if x not in mine]}, status=status)


# --- the work queue ----------------------------------------------------------------------------------------
def mine(surface: Surface, user):
    """The cases this user's duty handles (`Model.objects.mine(user)`), inside their scope."""
    return surface.model.objects.mine(user)


def queue_tabs(surface: Surface, user) -> list[QueueTab]:
    kind = surface.case_kind
    return [tab for tab in surface.queue_tabs if tab.shown is None or tab.shown(user, kind)]


def queue_counts(surface: Surface, user) -> dict[str, int] | None:
    """Each tab's count (one COUNT each, so each uses its own index); None for a role that sees no cases of
    the kind's data kind."""
    if not user.may_see_data_kind(_data_kind(surface)):
        return None
    kind = surface.case_kind
    base = mine(surface, user)
    return {tab.name: tab.filter(base, user, kind).count() for tab in queue_tabs(surface, user)}


ROW_FIELDS = ("id", "number", "state", "due_at", "sent_back_count")


def _row_paths(surface: Surface) -> tuple[list[str], list[str] | None]:
    """(select_related paths, `only()` fields) of the queue's rows: the engine's columns and the kind's list
    columns. Fields are None (all columns) when a column names something that is not a field path."""
    model = surface.model
    related, fields = set(), set(ROW_FIELDS)
    for _label, attr in surface.list_columns:
        parts = attr.split(".")
        current, chain = model, []
        for i, part in enumerate(parts):
            try:
                f = current._meta.get_field(part)
            except Exception:
                fields = None
                break
            if i == len(parts) - 1:
                if fields is not None:
                    fields.add("__".join([*chain, part]))
                break
            if not f.is_relation or not (f.many_to_one or f.one_to_one):
                fields = None
                break
            chain.append(part)
            current = f.related_model
        if chain:
            related.add("__".join(chain))
    return sorted(related), (sorted(fields) if fields is not None else None)


def queue_rows(surface: Surface, user, tab: QueueTab):
    """A tab's cases in its order (narrow: the ids page of `queue_page` reads this without joins)."""
    return tab.filter(mine(surface, user), user, surface.case_kind).order_by(*tab.order_by)


def queue_query(kind_label: str):
    """The rows of a kind's work queue for a query string (`?tab=`, the first tab shown when absent or unknown,
    as the page does): for the queue's export, which the kind declares in its own exports.py."""
    def query(user, params):
        surface = surface_for(kind_label)
        tabs = queue_tabs(surface, user)
        tab = next((t for t in tabs if t.name == params.get("tab", "")), tabs[0] if tabs else None)
        if tab is None:
            return surface.model.objects.none()
        return queue_rows(surface, user, tab)
    return query


def queue_page(surface: Surface, user, tab: QueueTab, number, count: int):
    """One page of a tab in two steps: its ids (the index alone answers; PostgreSQL misjudges how many open
    cases are overdue, and one joined, sorted query over them all to keep 50 cost 115 ms at a million
    events), then those rows with the columns the queue shows (a page of wide rows with their joins was most
    of the page's cost). The tab's count is the list's: no second COUNT of the same rows."""
    paginator = Paginator(queue_rows(surface, user, tab).values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = count
    page = paginator.get_page(number)
    ids = list(page.object_list)
    if not ids:
        page.object_list = []
        return page
    relations, fields = _row_paths(surface)
    rows = surface.model.objects.filter(pk__in=ids)
    if relations:
        rows = rows.select_related(*relations)
    if fields is not None:
        rows = rows.only(*fields)
    by_id = {row.pk: row for row in rows.with_overdue()}
    page.object_list = [by_id[i] for i in ids if i in by_id]
    return page


@login_required
def queue(request, *, kind_label: str):
    """The work queue: tabs declared by the kind, counted and listed over the user's own cases only."""
    surface = surface_for(kind_label)
    user = request.user
    _require_cases(user)
    if not user.may_see_data_kind(_data_kind(surface)):
        # A kind of its own (clues): a role without it is refused the queue, audited, as it is the kind's list.
        audit.denied(user=user, path=request.path)
        raise PermissionDenied("您的角色不能查看此类事项。")
    tabs = queue_tabs(surface, user)
    counts = queue_counts(surface, user) or {}
    names = [t.name for t in tabs]
    current = request.GET.get("tab", "")
    if current not in names:
        current = names[0] if names else ""
    tab = next((t for t in tabs if t.name == current), None)
    page = None
    if tab is not None:
        page = queue_page(surface, user, tab, request.GET.get("page"), counts[tab.name])
    kind = surface.case_kind
    return render(request, "cases/queue.html", {
        "surface": surface, "kind": kind, "tabs": [(t, counts.get(t.name, 0)) for t in tabs], "tab": current,
        "page": page, "columns": surface.list_columns, "list_url": _reverse_or_blank(f"{surface.namespace}:list"),
    })


def home_panel(request, kind_label: str, title: str) -> dict | None:
    """A home-page panel of one kind: the queue's tabs with their counts (the same numbers as the queue)."""
    user = request.user
    surface = surface_for(kind_label)
    counts = queue_counts(surface, user)
    if counts is None:
        return None
    url = reverse(f"{surface.namespace}:queue")
    rows = [(t.label, counts[t.name], f"{url}?tab={t.name}") for t in queue_tabs(surface, user)]
    return {"title": title, "url": url, "rows": rows, "links": [],
            "empty": "" if any(counts.values()) else f"没有待办的{surface.case_kind.verbose_name}。"}


# --- mounting ----------------------------------------------------------------------------------------------
def _bind(view, label: str, model):
    def bound(request, *args, **kwargs):
        return view(request, *args, kind_label=label, **kwargs)

    bound.__name__ = f"{model._meta.model_name}_{view.__name__}"
    bound.__qualname__ = bound.__name__
    bound.__doc__ = view.__doc__
    bound.__module__ = view.__module__
    return bound


def case_urlpatterns(label: str) -> list:
    """The generic routes of one kind, to be included in the kind's own `urls.py` (its namespace)."""
    model = apps.get_model(label)

    def keyed(view):
        return scoped(model)(login_required(_bind(view, label, model)))

    return [
        path("queue/", login_required(_bind(queue, label, model)), name="queue"),
        path("<int:pk>/", keyed(detail), name="detail"),
        path("<int:pk>/act/", keyed(act), name="act"),
        path("<int:pk>/supervise/", keyed(supervise), name="supervise"),
        path("<int:pk>/supervision-reply/", keyed(supervision_reply), name="supervision_reply"),
        path("<int:pk>/extension/", keyed(extension_request), name="extension_request"),
        path("<int:pk>/extension/decide/", keyed(extension_decide), name="extension_decide"),
    ]


# --- attachments -------------------------------------------------------------------------------------------
def visible_attachment(user, pk) -> WorkflowAttachment:
    """An attachment the user may see: its own row is in scope, or its case is (a report photo taken before
    the case was dispatched belongs to the unit handling the case now). Otherwise 404."""
    try:
        return get_visible_or_404(WorkflowAttachment, user, pk=pk)
    except Http404:
        item = WorkflowAttachment.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if item is None:
            raise
        try:
            model = apps.get_model(item.case_type)
        except (LookupError, ValueError):
            raise Http404("附件不存在。") from None
        get_visible_or_404(model, user, pk=item.case_id)
        return item


@login_required
@scoped(WorkflowAttachment)
def attachment(request, pk: int):
    """A case's attachment (photo) served through scope: outside scope is 404, like the case itself."""
    if not request.user.may_see_data_kind("case"):
        raise Http404("附件不存在。")
    item = visible_attachment(request.user, pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在。") from None
    response = FileResponse(handle, content_type=item.content_type, filename=item.name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response

