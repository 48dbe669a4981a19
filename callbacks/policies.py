"""Who may work the sampled callbacks: the hall's clerks and managers call; managers sample a day and keep the
do-not-call list."""

from hall.models import COUNTER_ROLES, MANAGER_ROLES
from hall.permissions import works_in_hall

CALLER_ROLES = tuple(sorted(COUNTER_ROLES))
SAMPLER_ROLES = tuple(sorted(MANAGER_ROLES))
LIST_ROLES = SAMPLER_ROLES


def may_call(user, hall_id: int) -> bool:
    return works_in_hall(user, hall_id) and (user.is_superuser or user.has_role(*CALLER_ROLES))


def may_sample(user, hall_id: int) -> bool:
    return works_in_hall(user, hall_id) and (user.is_superuser or user.has_role(*SAMPLER_ROLES))


def may_keep_list(user, hall_id: int) -> bool:
    return works_in_hall(user, hall_id) and (user.is_superuser or user.has_role(*LIST_ROLES))


def sees_number(user, callback) -> bool:
    """The number is shown to the one who took the call, and to nobody else (masked: hall.permissions)."""
    return user.is_authenticated and callback.caller_id == user.pk
