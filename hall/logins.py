"""Sign-in lockout: after LOGIN_FAILURE_LIMIT wrong passwords for one username (LOGIN_ADDRESS_FAILURE_LIMIT from
one address) within LOGIN_FAILURE_MINUTES, that username (address) may not sign in for LOGIN_LOCKOUT_MINUTES, at
every door: the sign-in page, the token API and the admin. Counted by the one rate limiter in fixed windows of
LOGIN_FAILURE_MINUTES (a count starts afresh with each window, and after a lockout); a successful sign-in
clears the username's failures; an administrator may unlock (the user admin's action, `manage.py unlock_login`)."""

import logging
import math
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext

from hall.ratelimit import client_address, lock, locked_for, rate_count, rate_reset, unlock

logger = logging.getLogger(__name__)

ACCOUNT = "login-account"
ADDRESS = "login-address"


@dataclass(frozen=True)
class Lockout:
    scope: str  # ACCOUNT or ADDRESS
    seconds: float

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def lockout_message(lockout: Lockout) -> str:
    """Why the person may not sign in now, and until when: the same words at every door."""
    if lockout.scope == ACCOUNT:
        text = ngettext(
            "Too many wrong passwords for this account: it is locked for %(minutes)d minute. Try again then, "
            "or ask an administrator to unlock it.",
            "Too many wrong passwords for this account: it is locked for %(minutes)d minutes. Try again then, "
            "or ask an administrator to unlock it.",
            lockout.minutes,
        )
    else:
        text = ngettext(
            "Too many wrong passwords from this address: signing in from here is locked for %(minutes)d minute. "
            "Try again then, or ask an administrator to unlock it.",
            "Too many wrong passwords from this address: signing in from here is locked for %(minutes)d minutes. "
            "Try again then, or ask an administrator to unlock it.",
            lockout.minutes,
        )
    return text % {"minutes": lockout.minutes}


def _account(username) -> str:
    return str(username).casefold()[:150]


def _address(request) -> str:
    return client_address(request) if request is not None else ""


def login_lockout(request, username) -> Lockout | None:
    """Whether a sign-in as `username` from this request's address is locked out now, and for how long."""
    if username:
        seconds = locked_for(ACCOUNT, _account(username))
        if seconds:
            return Lockout(ACCOUNT, seconds)
    address = _address(request)
    seconds = locked_for(ADDRESS, address) if address else None
    return Lockout(ADDRESS, seconds) if seconds else None


def login_failed(request, username) -> None:
    """Counts a wrong password for the username and the address; the one that reaches its limit is locked."""
    window = settings.LOGIN_FAILURE_MINUTES * 60
    address = _address(request)
    counted = [(ACCOUNT, _account(username), settings.LOGIN_FAILURE_LIMIT)]
    if address:
        counted.append((ADDRESS, address, settings.LOGIN_ADDRESS_FAILURE_LIMIT))
    for scope, ident, limit in counted:
        if rate_count(scope, ident, seconds=window) >= limit:
            lock(scope, ident, seconds=settings.LOGIN_LOCKOUT_MINUTES * 60)
            rate_reset(scope, ident, seconds=window)
            logger.warning(
                "Sign-in locked for %d minutes after %d failures: %s, username %r, address %s",
                settings.LOGIN_LOCKOUT_MINUTES,
                limit,
                "the username" if scope == ACCOUNT else "the address",
                str(username),
                address or "unknown",
            )


def login_succeeded(username) -> None:
    rate_reset(ACCOUNT, _account(username), seconds=settings.LOGIN_FAILURE_MINUTES * 60)


def login_unlock(*, username: str = "", address: str = "") -> None:
    """What an administrator does for someone locked out: the lock and the failures counted so far go."""
    if username:
        unlock(ACCOUNT, _account(username))
        login_succeeded(username)
    if address:
        unlock(ADDRESS, address)
        rate_reset(ADDRESS, address, seconds=settings.LOGIN_FAILURE_MINUTES * 60)


class LockoutBackend(ModelBackend):
    """Django's username and password check, refused outright while the username or the address is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        if login_lockout(request, username):
            raise PermissionDenied  # no other backend may let them in either
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failed(request, username)
        else:
            login_succeeded(username)
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)
