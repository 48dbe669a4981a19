"""The API's JSON parser."""

import json

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError


def _is_text(value) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


def _is_finite(value) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return False
    return True


class JSONParser(parsers.JSONParser):
    """DRF's, also refusing what JSON allows but no request can be answered with: nesting too deep to read, a number
    too large for a float (1e400 reads as infinity, which no field can take), and an unpaired surrogate escape
    (\\ud800), which is not text: it can be neither stored nor quoted back in an error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply.")) from exc
        _refuse(data, _is_finite, _("This number is too large."))
        _refuse(data, _is_text, _("This is not text: it holds an unpaired surrogate (\\ud800 to \\udfff)."))
        return data


def _refuse(data, is_good, message) -> None:
    """A 400 on the first field whose value fails `is_good`, or on the whole body."""
    if is_good(data):
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if _is_text(key) and not is_good(value):
                raise ValidationError({key: [message]})
    raise ParseError(message)
