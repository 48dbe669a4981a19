"""Why a duty went to whom, and a handover's open items, are stored as codes with their parameters and put into
words in the reader's language when shown. Texts stored before (or written by people) are shown as written."""

from django.utils.translation import gettext_lazy as _

AWAY = {"on_leave": _("on leave"), "not_rostered": _("not rostered"), "inactive": _("inactive")}

DUTY_REASONS = {
    "covers": _("%(a)s is %(why)s; %(b)s covers"),  # params: a, b, away (a key of AWAY)
    "both_away": _("%(a)s and %(b)s are both away"),  # params: a, b
}

OPEN_ITEMS = {
    "tickets": _("%(count)s waiting for %(code)s"),
    "repair": _("Repair %(number)s overdue"),
    "complaint": _("Complaint %(number)s overdue"),
    "duty": _("Duty not done: %(chore)s"),
}


def duty_reason(why: dict) -> str:
    """`why` is {"code": …, parameters…}, or {} when A has the duty."""
    words = DUTY_REASONS.get(why.get("code"))
    if words is None:
        return ""
    return str(words) % {**why, "why": AWAY.get(why.get("away"), "")}


def open_item_label(item: dict) -> str:
    """An item carries its `label` when a person wrote it (or it was stored as text); else its kind's words."""
    if "label" in item or item.get("kind") not in OPEN_ITEMS:
        return item.get("label", "")
    return str(OPEN_ITEMS[item["kind"]]) % item


def with_labels(items: list[dict]) -> list[dict]:
    return [{**item, "label": open_item_label(item)} for item in items]
