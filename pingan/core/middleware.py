"""Request middleware: request id and client address for the audit trail."""
from __future__ import annotations

import functools
import ipaddress
import re
import uuid

from django.conf import settings

from . import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@functools.lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """True when `address` is one of the reverse proxies in PINGAN_TRUSTED_PROXIES."""
    ip = _parse(address)
    return ip is not None and any(ip in net for net in _networks(tuple(settings.PINGAN_TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address lockouts, rate limits and the audit trail key on.

    X-Forwarded-For is anybody's to write, so it is believed only when the connection comes from a configured
    proxy, and then only as far as the chain of trusted proxies goes: walking it from the right, the first
    address that is not one of ours is the client (what the client put on the left itself is ignored).
    """
    remote = request.META.get("REMOTE_ADDR", "")[:45]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not is_trusted_proxy(remote):
        return remote
    client = remote
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if _parse(hop) is None:
            break  # garbage in the chain: keep the last hop a trusted proxy vouched for
        client = hop
        if not is_trusted_proxy(hop):
            break
    return client[:45]


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A request id from outside is kept only when our own proxy set it (so its log lines and the audit
        # entry match); anybody else could plant one to blur the trail.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = bool(incoming) and is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))
        request_id = incoming if trusted and _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        channel = "api" if request.path.startswith(("/api/", "/open311/")) else "web"
        with context.bind(context.RequestContext(request_id=request_id, address=client_address(request), channel=channel)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
