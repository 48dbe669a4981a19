"""Texts stored as their message id and params, shown in the reader's language when read.

A record that says something to people later (a clock's "what", a reminder) keeps the untranslated message,
marked with gettext_noop where it is written, and its params. Params whose name ends in `_text` are message ids
themselves (a step's name) and are translated too.
"""

from django.utils.translation import gettext


def shown(msgid: str, params: dict | None = None) -> str:
    """The text in the active language; the message as stored when it does not take these params."""
    if not msgid:
        return ""
    values = {key: gettext(value) if key.endswith("_text") else value for key, value in (params or {}).items()}
    try:
        return gettext(msgid) % values
    except (KeyError, TypeError, ValueError):  # a row stored before its message took these params
        return msgid
