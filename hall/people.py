"""Who answers for a hall on a day: the one rule for the responsible manager, and its batch form for the sweep;
and who may be picked for a job: every person picker lists `people_who_can`, and the services refuse anyone else."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from django.db.models import Q, QuerySet

from hall.models import DutyManagerDay, Hall, Role, User


def responsible_managers(
    hall: Hall, day: date | None = None, *, fallback: Iterable[str] = (), away: Collection[int] = ()
) -> list[User]:
    """The managers who answer for the hall on the day (today): the duty manager the roster names when they are
    active, otherwise every active member with the duty manager role, by id. People whose ids are in `away` are
    left out; when that leaves nobody, every active member with a role in `fallback`, by id, answers instead."""
    return responsible_managers_by_hall([hall], day=day, fallback=fallback, away=away)[hall.pk]


def responsible_managers_by_hall(
    halls: Iterable[Hall], *, day: date | None = None, fallback: Iterable[str] = (), away: Collection[int] = ()
) -> dict[int, list[User]]:
    """responsible_managers for many halls at once, each on `day` or its own today, by hall id: two queries."""
    halls = {hall.pk: hall for hall in halls}
    if not halls:
        return {}
    fallback = list(fallback)
    rostered = _rostered(halls.values(), day)
    members = role_members(halls, [Role.DUTY_MANAGER, *fallback])
    found = {}
    for hall_id in halls:
        duty = [rostered[hall_id]] if hall_id in rostered else members[hall_id][Role.DUTY_MANAGER]
        found[hall_id] = [person for person in duty if person.pk not in away]
        if not found[hall_id] and fallback:
            others = {person.pk: person for role in fallback for person in members[hall_id][role]}
            found[hall_id] = [others[pk] for pk in sorted(others) if pk not in away]
    return found


def role_members(hall_ids: Iterable[int], roles: Collection[str]) -> dict[int, dict[str, list[User]]]:
    """The active members of these halls with these roles, by hall and role, by id: one query."""
    found = defaultdict(lambda: defaultdict(list))
    rows = (
        User.groups.through.objects.filter(
            user__hall_id__in=list(hall_ids), user__is_active=True, group__name__in=list(roles)
        )
        .select_related("user", "group")
        .order_by("user_id")
    )
    for row in rows:
        found[row.user.hall_id][row.group.name].append(row.user)
    return found


def people_who_can(hall: Hall | int, roles: Collection[str]) -> QuerySet[User]:
    """The hall's active people with one of these roles, by name, with their roles read: what a person picker
    lists. An administrator without the hall, or without any of the roles, is never among them."""
    return (
        User.objects.filter(hall_id=getattr(hall, "pk", hall), is_active=True, groups__name__in=list(roles))
        .distinct()
        .prefetch_related("groups")
        .order_by("name", "username")
    )


def can_do(person: User, hall: Hall | int, roles: Collection[str]) -> bool:
    """Whether the person is one of `people_who_can(hall, roles)`: what a service checks before giving them a job."""
    hall_id = getattr(hall, "pk", hall)
    return person.is_active and person.hall_id == hall_id and bool(set(person.roles) & set(roles))


def _rostered(halls: Iterable[Hall], day: date | None) -> dict[int, User]:
    days = Q()
    for hall in halls:
        days |= Q(hall=hall, date=day or hall.today())
    named = DutyManagerDay.objects.filter(days, manager__is_active=True).select_related("manager")
    return {row.hall_id: row.manager for row in named}
