from celery import shared_task

from callbacks import services


@shared_task(ignore_result=True)
def sample_yesterday() -> int:
    """After midnight, once yesterday's open tickets are cancelled: every hall's sample of yesterday's served."""
    return services.sample_yesterday()
