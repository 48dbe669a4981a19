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


class JSONParser(parsers.JSONParser):
    """DRF's, also refusing what JSON allows but no request can be answered with: nesting too deep to read, and an
    unpaired surrogate escape (\\ud800), which is not text: it can be neither stored nor quoted back in an error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply.")) from exc
        if _is_text(data):
            return data
        not_text = _("This is not text: it holds an unpaired surrogate (\\ud800 to \\udfff).")
        if isinstance(data, dict):
            for key, value in data.items():
                if _is_text(key) and not _is_text(value):
                    raise ValidationError({key: [not_text]})
        raise ParseError(not_text)
