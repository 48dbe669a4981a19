"""Who may do what with the monthly assessment: the person sees and appeals their own sheet; the hall manager
(or an administrator) sees every sheet of their hall, edits the rules, decides appeals and closes the month."""

from hall.models import Role
from hall.permissions import works_in_hall


def sees_all(user) -> bool:
    return user.has_role(Role.HALL_MANAGER)


def may_see(user, sheet) -> bool:
    return sheet.staff_id == user.pk or sees_all(user)


def may_appeal(user, sheet) -> bool:
    return sheet.staff_id == user.pk


def may_manage(user) -> bool:
    return user.has_role(Role.HALL_MANAGER)


def may_set_rules(user, hall) -> bool:
    return may_manage(user) and works_in_hall(user, hall.pk)
