"""The JSON parser of the API (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"])."""
from __future__ import annotations

import codecs
import json

from django.conf import settings
from rest_framework import exceptions, parsers

# Nothing Pingan accepts nests deeper than a few levels (attributes of an event: 2); 32 leaves room, and
# refuses the 1000-deep bodies that made the decoder raise RecursionError (a 500).
JSON_MAX_DEPTH = 32


def json_depth_exceeded(text: str, limit: int = JSON_MAX_DEPTH) -> bool:
    """True when `text` opens more than `limit` arrays/objects inside each other (strings skipped).
    One linear pass, before the decoder sees it."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _reject_constant(name: str):
    raise ValueError(f"{name} 不是有效的 JSON 数值")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size and nesting limit, and no NaN/Infinity; errors in Chinese (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise exceptions.ParseError(f"请求内容超过 {limit // (1024 * 1024)} MB 的上限。")
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError("请求内容不是有效的 UTF-8 文本。") from None
        if json_depth_exceeded(text):
            raise exceptions.ParseError(f"JSON 嵌套层数超过 {JSON_MAX_DEPTH} 层。")
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(f"JSON 格式错误：{str(exc)[:100]}") from None
