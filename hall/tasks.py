from celery import shared_task

from hall import sla
from hall.notifications import deliver_pending


@shared_task(ignore_result=True)
def deliver_pending_notifications() -> int:
    return deliver_pending()


@shared_task(ignore_result=True)
def sla_sweep() -> int:
    return sla.sla_sweep()
