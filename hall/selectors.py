"""Reads of the hall's own records that every app uses."""

from hall.models import DutyManagerDay, Hall, Role, User


def duty_managers(hall: Hall, date=None) -> list[User]:
    """The day's (today's) duty manager when the roster names one, otherwise everyone with the role."""
    day = DutyManagerDay.objects.filter(hall=hall, date=date or hall.today()).select_related("manager").first()
    if day is not None and day.manager.is_active:
        return [day.manager]
    return list(User.objects.filter(hall=hall, is_active=True, groups__name=Role.DUTY_MANAGER).order_by("id"))
