"""Who may do what with suggestions, praise and mystery-shopper visits; feedback.services applies it."""

from django.utils.translation import gettext as _

from hall.errors import NotPermitted
from hall.models import HALL_ROLES, MANAGER_ROLES
from hall.permissions import works_in_hall

# Who takes feedback at the counter and reads the hall's list.
DESK_ROLES = HALL_ROLES
# Who answers a suggestion and records or reads mystery-shopper visits.
REPLY_ROLES = tuple(sorted(MANAGER_ROLES))
VISIT_ROLES = REPLY_ROLES
# Who may be praised: the hall's staff at the desks.
PRAISED_ROLES = HALL_ROLES
# How many suggestions or praise a customer without a login may send per minute and address, form and API alike.
PUBLIC_FEEDBACK_PER_MINUTE = 5
# How many times a minute one address may look a reference up, page and API alike: with the phone's last four
# digits asked too, guessing is hopeless.
FOLLOW_TRIES_PER_MINUTE = 5


def ensure_may(user, hall_id: int, roles) -> None:
    """None is the hall itself (the public form), which always may."""
    if user is None:
        return
    if not user.is_authenticated or not user.has_role(*roles) or not works_in_hall(user, hall_id):
        raise NotPermitted(_("Only a manager of this hall may do this."))
