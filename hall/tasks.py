from celery import shared_task

from hall import sla
from hall.notifications import deliver_pending
from hall.services import calendar_missing_years_warn


@shared_task(ignore_result=True)
def deliver_pending_notifications() -> int:
    return deliver_pending()


@shared_task(ignore_result=True)
def sla_sweep() -> int:
    return sla.sla_sweep()


@shared_task(ignore_result=True)
def warn_missing_calendar_years() -> int:
    """Daily: the superusers hear of a year whose public holidays are not entered (once per year each)."""
    return len(calendar_missing_years_warn())
