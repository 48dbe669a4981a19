from celery import shared_task

from hall.notifications import deliver_pending


@shared_task(ignore_result=True)
def deliver_pending_notifications() -> int:
    return deliver_pending()
