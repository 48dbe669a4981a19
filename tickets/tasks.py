from celery import shared_task

from tickets.services import tickets_expire_stale


@shared_task(ignore_result=True)
def expire_stale_tickets() -> int:
    return tickets_expire_stale()
