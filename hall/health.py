"""Is the hall alive: the database answers, Redis answers, and the SLA sweep ran lately (else no reminder is sent).

The sweep writes its heartbeat to PostgreSQL, the truth while Redis is down. `/healthz` answers 503 when the
database is unreachable or the sweep is stale; `manage.py check --deploy --database default` warns of the latter.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from hall.cache import redis_state
from hall.models import Heartbeat

SLA_SWEEP = "sla_sweep"


def heartbeat(name: str) -> None:
    """Records that the job `name` has just finished (one upsert)."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, at=timezone.now())], update_conflicts=True, unique_fields=["name"], update_fields=["at"]
    )


def age_seconds(name: str, *, using: str = "default") -> int | None:
    """Seconds since the job last finished; None if it never did."""
    at = Heartbeat.objects.using(using).filter(name=name).values_list("at", flat=True).first()
    return None if at is None else max(0, int((timezone.now() - at).total_seconds()))


def is_stale(age: int | None) -> bool:
    return age is None or age > settings.SLA_SWEEP_STALE_SECONDS


@never_cache
def healthz(request):
    """No login and nothing personal: what a load balancer or a monitor polls."""
    try:
        age = age_seconds(SLA_SWEEP)
        database = "ok"
    except DatabaseError:
        age, database = None, "down"
    state = {
        "database": database,
        "redis": redis_state(),
        "sla_sweep_age_seconds": age,
        "sla_sweep_stale_after_seconds": settings.SLA_SWEEP_STALE_SECONDS,
    }
    healthy = database == "ok" and not is_stale(age)
    state["status"] = "ok" if healthy else "failing"
    return JsonResponse(state, status=200 if healthy else 503)


def sweep_check(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Warns when the SLA sweep has not run lately (the Celery worker or beat is down): run with `--database`."""
    messages = []
    for alias in databases or ():
        try:
            age = age_seconds(SLA_SWEEP, using=alias)
        except DatabaseError:
            continue  # not migrated yet: the database checks and migrate say so
        if is_stale(age):
            messages.append(
                checks.Warning(
                    _stale_text(age),
                    hint="Start `celery -A hall worker` and exactly one `celery -A hall beat`.",
                    id="hall.W001",
                )
            )
    return messages


def _stale_text(age: int | None) -> str:
    if age is None:
        return "The SLA sweep has never run: no reminder or escalation is sent."
    return f"The SLA sweep last ran {age} seconds ago: no reminder or escalation is sent."
