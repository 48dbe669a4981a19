"""Hall scoping and role checks, used by every page and API view."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission

from hall.models import Hall, Role


def visible_halls(user) -> QuerySet[Hall]:
    """The halls whose reports and reference data the user may read: their own and, for an area manager, the halls
    they oversee (every hall for an administrator). Taking a step in a hall is for its own staff: ensure_hall."""
    if user.is_superuser:
        return Hall.objects.all()
    if not user.is_authenticated:
        return Hall.objects.none()
    return Hall.objects.filter(pk__in=_visible_hall_ids(user))


def can_see_hall(user, hall_id: int) -> bool:
    return user.is_superuser or (user.is_authenticated and hall_id in _visible_hall_ids(user))


def _visible_hall_ids(user) -> set[int]:
    ids = {user.hall_id} if user.hall_id is not None else set()
    if user.has_role(Role.AREA_MANAGER):
        ids |= overseen_hall_ids(user)
    return ids


def overseen_hall_ids(user) -> set[int]:
    """The halls an area manager oversees (kept on the user object for the request)."""
    if not hasattr(user, "_overseen_hall_ids"):
        user._overseen_hall_ids = set(user.areas.values_list("pk", flat=True)) if user.pk else set()
    return user._overseen_hall_ids


def works_in_hall(user, hall_id: int) -> bool:
    """Whether the user may act on the hall's records: its own staff and administrators. An area manager only
    reads the reports of the halls they oversee."""
    return user.is_superuser or (user.is_authenticated and user.hall_id == hall_id)


def scope_to_hall(queryset: QuerySet, user, field: str = "hall") -> QuerySet:
    """Only the records of the user's own hall (every hall for an administrator)."""
    if user.is_superuser:
        return queryset
    if not user.is_authenticated or user.hall_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.hall_id})


def ensure_hall(user, hall_id: int) -> None:
    """404 for another hall's record, as for a missing one: a user learns nothing of what other halls hold. A hall
    an area manager oversees is another hall here: they read its reports, never its records."""
    if not works_in_hall(user, hall_id):
        raise Http404


def ensure_role(user, *roles: str) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied


def get_in_hall(queryset: QuerySet, user, **lookup):
    """The record; 404 when it does not exist or belongs to another hall."""
    from django.shortcuts import get_object_or_404

    obj = get_object_or_404(queryset, **lookup)
    ensure_hall(user, obj.hall_id)
    return obj


def phone_digits(phone: str) -> str:
    """A phone number as typed (138-0000-0000, +86…) compared by its digits alone."""
    return "".join(ch for ch in phone if ch.isdigit())


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def phone_for(user, phone: str) -> str:
    """Full numbers only for the roles that call customers back."""
    if user.has_role(Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.REPAIR_WORKER, Role.COMPLAINT_HANDLER):
        return phone
    return mask_phone(phone)


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.of(Role.CLERK, ...)]`."""

    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, *roles: str):
        return type("HasRole", (cls,), {"roles": roles})

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_role(*self.roles))
