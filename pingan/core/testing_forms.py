"""Test helper: the data an edit page's form would post back unchanged, to change one field and post it."""
from __future__ import annotations

import datetime as dt
from typing import Any


def form_post_data(form: Any) -> dict[str, Any]:
    """What a browser posts for `form` as rendered (initial or bound values), field by field.

    Unchecked boxes and empty values are left out, as a browser does; datetimes in the datetime-local format.
    """
    data: dict[str, Any] = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value == "" or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, dt.datetime):
            data[bound.html_name] = value.strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)
    return data
