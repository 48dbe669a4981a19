"""Who may read the reports. A hall's reports are read by its managers (and administrators); the halls side by side
by those who answer for more than one hall's standing.

The area manager role (several halls) belongs in both sets once it exists; until then the ranking is open to
administrators and hall managers, who see the halls they may see (hall.permissions.visible_halls)."""

from hall.models import MANAGER_ROLES, Role

REPORT_ROLES = (*MANAGER_ROLES,)
HALLS_RANKING_ROLES = (Role.HALL_MANAGER,)


def may_read_reports(user) -> bool:
    return user.is_authenticated and user.has_role(*REPORT_ROLES)


def may_compare_halls(user) -> bool:
    return user.is_authenticated and user.has_role(*HALLS_RANKING_ROLES)
