"""Who may take which step of a complaint. The person who took it owns it (首问负责人) and works it to the end; the
duty manager and the hall manager may step in; anyone at the complaint desk may call the customer back.

complaints.services applies this to every step, so the pages, the API and the tasks can never disagree; a view
asks `may` only to decide which buttons to show.
"""

from django.utils.translation import gettext as _

from hall.errors import NotPermitted
from hall.models import HALL_ROLES, MANAGER_ROLES
from hall.permissions import works_in_hall

# Who works at the complaint desk: they read every complaint of their hall.
DESK_ROLES = HALL_ROLES
# The steps anyone at the desk may take on a complaint someone else owns. Every other step is the owner's or a
# manager's: investigate, progress, resolve, close, reopen, hand_over, and update (correcting the intake).
ANYONE_AT_THE_DESK = frozenset({"follow_up"})
# How many complaints a customer without a login may send per minute and address, by the form or the API alike.
PUBLIC_COMPLAINTS_PER_MINUTE = 5


def may(user, complaint, step: str) -> bool:
    """Whether `user` may take `step` on `complaint`; None is the hall itself (a task), which always may."""
    if user is None:
        return True
    if not user.is_authenticated or not user.has_role(*DESK_ROLES) or not works_in_hall(user, complaint.hall_id):
        return False
    return step in ANYONE_AT_THE_DESK or user.pk == complaint.owner_id or user.has_role(*MANAGER_ROLES)


def ensure_may(user, complaint, step: str) -> None:
    if may(user, complaint, step):
        return
    if step == "hand_over":
        raise NotPermitted(_("Only the owner or a manager may hand a complaint over."))
    raise NotPermitted(_("Only the owner of this complaint or a manager may do this."))
