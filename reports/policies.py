"""Who may read and close a hall's reports, and who sees the halls side by side."""

from django.db.models import QuerySet

from hall.models import MANAGER_ROLES, Hall, Role
from hall.permissions import overseen_hall_ids, visible_halls


def report_halls(user) -> QuerySet[Hall]:
    """The halls whose reports the user may read: of the halls they may see (hall.permissions.visible_halls), their
    own hall when they are its hall or duty manager, and the halls they oversee as an area manager; every hall for
    an administrator."""
    if user.is_superuser:
        return Hall.objects.all()
    if not user.is_authenticated:
        return Hall.objects.none()
    ids = overseen_hall_ids(user) if user.has_role(Role.AREA_MANAGER) else set()
    if user.hall_id is not None and user.has_role(*MANAGER_ROLES):
        ids = ids | {user.hall_id}
    return visible_halls(user).filter(pk__in=ids)


def may_read_reports(user) -> bool:
    """Whether the user reads the reports of any hall (the menu's link, the pages' door)."""
    return user.is_authenticated and (user.is_superuser or user.has_role(*MANAGER_ROLES, Role.AREA_MANAGER))


def may_compare_halls(user) -> bool:
    """The halls side by side: for administrators and area managers, and for a hall manager their own hall's row."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.AREA_MANAGER, Role.HALL_MANAGER))


def may_close_month(user, hall: Hall) -> bool:
    """The month close (月结) is the hall manager's, or an administrator's."""
    return user.is_superuser or (user.hall_id == hall.pk and user.has_role(Role.HALL_MANAGER))
