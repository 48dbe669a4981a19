"""Who may do what with patrols and rectifications."""

from hall.models import Role

# A patrol is walked by the duty manager or the hall manager; templates are the hall manager's.
PATROL_ROLES = (Role.DUTY_MANAGER, Role.HALL_MANAGER)
TEMPLATE_ROLES = (Role.HALL_MANAGER,)
# Everyone of the hall who may own a finding reads the rectifications list.
RECTIFICATION_ROLES = (Role.CLERK, Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.COMPLAINT_HANDLER)


def may_patrol(user) -> bool:
    return user.has_role(*PATROL_ROLES)


def may_edit_templates(user) -> bool:
    return user.has_role(*TEMPLATE_ROLES)


def may_check(user, patrol) -> bool:
    return user.pk == patrol.author_id or user.has_role(Role.HALL_MANAGER)


def is_manager(user) -> bool:
    return user.has_role(Role.DUTY_MANAGER, Role.HALL_MANAGER)


def may_mark_fixed(user, rectification) -> bool:
    return user.pk == rectification.owner_id or is_manager(user)


def may_verify(user, rectification) -> bool:
    return user.pk == rectification.check_result.patrol.author_id or is_manager(user)
