"""Serving a case's attachments (photos) through scope: outside scope is 404, like the case itself."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from .models import WorkflowAttachment
from pingan.core.scoping import get_visible_or_404, scoped


@login_required
@scoped(WorkflowAttachment)
def attachment(request, pk: int):
    item = get_visible_or_404(WorkflowAttachment, request.user, pk=pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在。") from None
    response = FileResponse(handle, content_type=item.content_type, filename=item.name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
