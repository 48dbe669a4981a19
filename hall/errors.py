"""Domain errors raised by services; the API maps them once, in hall.exceptions."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"
    default_message = _("The request cannot be carried out.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidTransition(ApplicationError):
    status_code = 409
    code = "invalid_transition"
    default_message = _("This action is not allowed in the record's current state.")


class CounterNotOpen(InvalidTransition):
    default_message = _("The counter is not open.")


class CounterBusy(InvalidTransition):
    default_message = _("The counter still has a called or serving ticket.")


class QuotaReached(ApplicationError):
    status_code = 409
    code = "quota_reached"
    default_message = _("Today's tickets for this business are all issued.")


class NotPermitted(ApplicationError):
    status_code = 403
    code = "permission_denied"
    default_message = _("You may not do this.")


class MonthNotOver(ApplicationError):
    """A month (a report's, an assessment's) is closed only once it has ended."""

    status_code = 409
    code = "month_not_over"
    default_message = _("A month can be closed only after it has ended.")
