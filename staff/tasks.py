from celery import shared_task

from hall.models import Hall
from staff import services


@shared_task(ignore_result=True)
def generate_duties() -> int:
    """After midnight: every hall's duties of its new day (idempotent, so a second run changes nothing)."""
    created = 0
    for hall in Hall.objects.all():
        created += len(services.duties_generate(hall=hall, date=hall.today()))
    return created
