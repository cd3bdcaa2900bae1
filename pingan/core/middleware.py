"""Request middleware: request id and client address for the audit trail."""
from __future__ import annotations

import re
import uuid

from . import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_address(request) -> str:
    # Behind a reverse proxy the deployment sets HTTPS=1 and the proxy adds X-Forwarded-For; its first hop
    # is the client. REMOTE_ADDR otherwise.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        channel = "api" if request.path.startswith(("/api/", "/open311/")) else "web"
        with context.bind(context.RequestContext(request_id=request_id, address=client_address(request), channel=channel)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
