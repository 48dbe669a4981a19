"""A notification's text in the reader's language, and the menu's unread count."""

from django import template

from hall import notifications
from hall.selectors import unread_notification_count

register = template.Library()


@register.filter
def headline(notification) -> str:
    return notifications.headline(notification)


@register.filter
def details(notification) -> str:
    return notifications.details(notification)


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """Counted only on pages that show the menu, and once: a page that counted already passes `unread_count`."""
    if "unread_count" in context:
        return context["unread_count"]
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return unread_notification_count(request.user)
