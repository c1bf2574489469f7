"""API plumbing shared by every app: pagination, the one error shape, scoped viewset helpers."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


# Deeper than any body the API defines (a few levels); a deeper one is an attack on the parser or on the
# code that walks the result, so it is refused before either.
JSON_MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 (not a 500) a body nested too deep for the parser or for the
    code that walks it, and text that cannot be stored or written back (a lone UTF-16 surrogate, "\\ud800",
    which the JSON grammar allows but UTF-8 cannot carry)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels") from None
        _check_json(data)
        return data


def _check_json(data) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise exceptions.ParseError("JSON parse error - text with an unpaired surrogate (\\ud800-\\udfff)"
                                            ) from None
        elif isinstance(value, dict | list):
            if depth > JSON_MAX_DEPTH:
                raise exceptions.ParseError(f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                stack.append((item, depth + 1))
                if key is not None:
                    stack.append((key, depth + 1))


def _body(code: str, message: str, details=None) -> dict:
    return {"code": code, "message": message, "details": details if details is not None else {}}


_DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.NotAcceptable: "not_acceptable",
}


def exception_handler(exc, context):
    """Render every error as {"code", "message", "details"}."""
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        details = getattr(exc, "message_dict", None) or {"non_field_errors": exc.messages}
        return Response(_body("invalid", "; ".join(exc.messages), details), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = next(iter(details.items()), ("", [""]))
        text = first[1][0] if isinstance(first[1], list) and first[1] else str(first[1])
        response.data = _body("invalid", f"{first[0]}: {text}" if first[0] else str(text), details)
        return response
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    detail = getattr(exc, "detail", "")
    response.data = _body(code, str(detail), {})
    return response
