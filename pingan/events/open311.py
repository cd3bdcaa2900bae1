"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/.

Public reads show only what the district publishes: events of categories marked 公开展示 — by default only
citizens' own reports (public page, Open311), never grid workers' or the centre's internal ones; no reporter
identity ever; coordinates rounded to 3 decimals (about 100 m); for a sensitive category the location is
the grid's centre and name and the description is withheld. Writes need an `api_key` issued by the district;
each key belongs to a channel and an area, enforced for coordinates, addresses and `jurisdiction_id`.
Errors are a list of {code, description}.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from pingan.core.middleware import client_address
from pingan.geo.models import Node

from . import intake, services
from .choices import EventState, Source
from .models import Category, Event

MAX_RESULTS = 1000
PUBLIC_PRECISION = Decimal("0.001")  # about 110 m north-south: the street, not the doorway
DEFAULT_DAYS = 90
CLOSED = {EventState.CLOSED, EventState.REJECTED, EventState.DUPLICATE}


# --- rendering ---------------------------------------------------------------------------------------------
def _xml_value(parent: ET.Element, key: str, value) -> None:
    child = ET.SubElement(parent, key)
    if isinstance(value, list):
        singular = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}.get(key, "item")
        for item in value:
            if isinstance(item, dict):
                node = ET.SubElement(child, singular)
                for k, v in item.items():
                    _xml_value(node, k, v)
            else:
                ET.SubElement(child, singular).text = str(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(child, k, v)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def render(data, fmt: str, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        element = ET.Element(root)
        if item is None:
            for k, v in data.items():
                _xml_value(element, k, v)
        else:
            for row in data:
                node = ET.SubElement(element, item)
                for k, v in row.items():
                    _xml_value(node, k, v)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    import json

    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render([{"code": status, "description": description}], fmt, "errors", "error", status=status)


def iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- discovery and services ----------------------------------------------------------------------------
def discovery(request, fmt: str = "json"):
    base = request.build_absolute_uri(reverse("events_public:discovery", kwargs={"fmt": fmt}))
    base = base.rsplit("/", 1)[0] + "/"
    return render({
        "changeset": "2026-01-01T00:00:00+08:00",
        "contact": "区综治中心（群众可拨打 12345 或使用本系统群众上报页）",
        "key_service": "接口密钥由区综治中心签发：在系统“开放接口密钥”页面或用 manage.py open311_key 申请。",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-01-01T00:00:00+08:00", "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }, fmt, "discovery")


def _service(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name,
            "description": category.description or category.name, "metadata": bool(category.field_count),
            "type": "realtime", "keywords": category.keywords, "group": category.parent.name}


def services_list(request, fmt: str = "json"):
    from django.db.models import Count

    categories = Category.objects.public().select_related("parent").annotate(field_count=Count("fields")) \
        .order_by("parent__order", "parent__code", "order", "code")
    return render([_service(c) for c in categories], fmt, "services", "service")


def service_definition(request, code: str, fmt: str = "json"):
    category = Category.objects.public().filter(code=code).first()
    if category is None:
        return error(fmt, 404, f"没有代码为“{code[:20]}”的服务。")
    attributes = []
    for order, field in enumerate(category.fields.all(), start=1):
        attributes.append({"variable": True, "code": field.code, "datatype": field.datatype,
                           "required": field.required, "datatype_description": field.get_datatype_display(),
                           "order": order, "description": field.label,
                           "values": [{"key": v["key"], "name": v["name"]} for v in field.values or []]})
    return render({"service_code": category.code, "attributes": attributes}, fmt, "service_definition")


# --- requests ------------------------------------------------------------------------------------------
def public_request(event: Event) -> dict:
    """One event as the public sees it."""
    sensitive = event.category.is_sensitive
    place = event.jurisdiction
    if sensitive:
        # The grid's centre and name stand for the place; the event's own address is never published.
        lat, lng, address, description = place.latitude, place.longitude, place.name, "（该类事件不公开描述）"
    else:
        lat, lng = event.latitude, event.longitude
        address = event.address or place.name
        description = event.description
    agency = event.assigned_department.name if event.assigned_department_id else (
        event.assigned_township.name if event.assigned_township_id else "区综治中心")
    return {
        "service_request_id": event.number,
        "status": "closed" if event.state in CLOSED else "open",
        "status_notes": event.get_state_display(),
        "service_name": event.category.name,
        "service_code": event.category.code,
        "description": description,
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": iso(event.reported_at),
        "updated_datetime": iso(event.updated_at),
        "expected_datetime": iso(_expected(event)),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": _rounded(lat),
        "long": _rounded(lng),
        "media_url": "",
    }


def _expected(event: Event):
    """When the district expects it done: the current due moment while open, the handling one in force at the
    feedback once fed back (待核查, closed)."""
    if event.state == EventState.CHECKING or event.state in CLOSED:
        return event.handled_due_at
    return event.due_at


def _rounded(value) -> float | None:
    return float(Decimal(value).quantize(PUBLIC_PRECISION)) if value is not None else None


def _public_events():
    return Event.objects.published().select_related(
        "category", "jurisdiction", "assigned_department", "assigned_township")


def _parse_when(value: str, name: str):
    text = intake.normalize(value)
    if not text:
        return None
    parsed = parse_datetime(text.replace(" ", "+")) if "T" in text else None
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.min)
        except ValueError:
            raise ValidationError(f"{name} 不是 ISO 8601 日期时间（如 2026-03-01T00:00:00+08:00）：“{text[:30]}”。") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@csrf_exempt
def requests_view(request, fmt: str = "json"):
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return error(fmt, 405, "只支持 GET 和 POST。")
    qs = _public_events()
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        qs = qs.filter(number__in=ids[:MAX_RESULTS])
    else:
        try:
            start = _parse_when(request.GET.get("start_date", ""), "start_date")
            end = _parse_when(request.GET.get("end_date", ""), "end_date")
        except ValidationError as exc:
            return error(fmt, 400, exc.messages[0])
        if start and end and end < start:
            return error(fmt, 400, "end_date 不能早于 start_date。")
        if start and end and end - start > dt.timedelta(days=DEFAULT_DAYS):
            return error(fmt, 400, f"查询时间段不能超过 {DEFAULT_DAYS} 天。")
        if not start and not end:
            end = timezone.now()
            start = end - dt.timedelta(days=DEFAULT_DAYS)
        elif start and not end:
            end = start + dt.timedelta(days=DEFAULT_DAYS)
        elif end and not start:
            start = end - dt.timedelta(days=DEFAULT_DAYS)
        qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            qs = qs.filter(category__code__in=codes)
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return error(fmt, 400, "status 只能是 open 或 closed。")
        if statuses == {"open"}:
            qs = qs.exclude(state__in=CLOSED)
        elif statuses == {"closed"}:
            qs = qs.filter(state__in=CLOSED)
    rows = [public_request(e) for e in qs.order_by("-reported_at", "-id")[:MAX_RESULTS]]
    return render(rows, fmt, "service_requests", "request")


def request_detail(request, number: str, fmt: str = "json"):
    event = _public_events().filter(number=number).first()
    if event is None:
        return error(fmt, 404, f"没有编号为“{number[:40]}”的公开事件。")
    return render([public_request(event)], fmt, "service_requests", "request")


def token_view(request, token: str, fmt: str = "json"):
    event = Event.objects.filter(public_token=token[:32]).only("number", "public_token").first()
    if event is None:
        return error(fmt, 404, "令牌不存在。")
    return render([{"service_request_id": event.number, "token": event.public_token}], fmt, "service_requests", "request")


def _create(request, fmt: str):
    post = request.POST
    key = services.open311_key_check(post.get("api_key", ""))
    if key is None:
        if intake.rate_limited("open311-badkey", client_address(request), limit=20, seconds=600):
            return error(fmt, 403, "无效密钥尝试过多，请稍后再试。")
        return error(fmt, 403, "api_key 缺失或无效。")
    if intake.rate_limited("open311-key", str(key.pk), limit=600, seconds=600):
        return error(fmt, 429, "提交过于频繁，请稍后再试。")
    code = post.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "缺少 service_code。")
    category = Category.objects.public().filter(code=code[:10]).first()
    if category is None:
        return error(fmt, 404, f"没有代码为“{code[:20]}”的服务。")
    if not any(post.get(k, "").strip() for k in ("lat", "long", "address_string", "address_id")):
        return error(fmt, 400, "缺少位置：请提供 lat 和 long，或 address_string。")
    if post.get("address_id", "").strip() and not post.get("lat") and not post.get("address_string"):
        return error(fmt, 400, "本接口不支持 address_id，请提供 lat 和 long 或 address_string。")
    attributes = {}
    for name in post:
        if name.startswith("attribute[") and name.endswith("]"):
            values = post.getlist(name)
            attributes[name[10:-1]] = values if len(values) > 1 else values[0]
    name = " ".join(p for p in (post.get("last_name", "").strip(), post.get("first_name", "").strip()) if p)
    area = key.jurisdiction
    jurisdiction_id = intake.normalize(post.get("jurisdiction_id", ""))
    if jurisdiction_id:
        node = Node.objects.filter(code=jurisdiction_id[:20]).only("path").first()
        if node is None:
            return error(fmt, 400, f"jurisdiction_id“{jurisdiction_id[:20]}”不是本区的区划代码。")
        if not (node.path.startswith(area.path) or area.path.startswith(node.path)):
            return error(fmt, 403, f"jurisdiction_id“{jurisdiction_id[:20]}”不在本接口密钥的受理范围内。")
    try:
        result = services.event_report(
            actor=None, category=category, description=post.get("description", ""),
            latitude=post.get("lat"), longitude=post.get("long"), address=post.get("address_string", ""),
            attributes=attributes, source=Source.OPEN311, channel=key.channel, api_key=key,
            reporter_name=name, reporter_phone=post.get("phone", ""), reporter_email=_email(post.get("email", "")),
            idempotency_key=post.get("idempotency_key"), within=key.jurisdiction)
    except ValidationError as exc:
        messages = []
        pairs = exc.message_dict.items() if hasattr(exc, "message_dict") else [("", exc.messages)]
        for field, msgs in pairs:
            messages.extend(msgs)
        # A place outside the key's area is a refusal of the key, not bad input.
        outside = hasattr(exc, "message_dict") and "area" in exc.message_dict
        return error(fmt, 403 if outside else 400, "；".join(messages))
    event = result.event
    return render([{"service_request_id": event.number, "token": event.public_token,
                    "service_notice": f"已受理，查询码 {result.lookup_code}（请告知报告人，用于在群众查询页查看进度）。"
                    if result.lookup_code else "", "account_id": ""}],
                  fmt, "service_requests", "request", status=201)


def _email(value: str) -> str:
    from django.core.validators import validate_email

    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]
