"""The API's request parsers. A module of its own, importing only DRF's parsers: the settings name these
classes, and DRF's views read the settings when they are first imported, so a module that imports
rest_framework.views (as core.api does) cannot define them (a command's first import would find the
class missing)."""
from rest_framework import exceptions, parsers

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
