from celery import shared_task

from reports import services


@shared_task(ignore_result=True)
def rollup_nightly() -> int:
    """After midnight (日清): every hall's yesterday, and the closed days whose records changed since the last run."""
    return services.rollup_nightly()


@shared_task(ignore_result=True)
def rollup_touched() -> int:
    """Every quarter of an hour: the closed days whose records changed since the last run (a callback answered the
    next morning), so yesterday's figures follow soon."""
    return services.rollup_touched()
