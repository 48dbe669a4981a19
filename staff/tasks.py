from celery import shared_task

from hall.models import Hall
from staff import services


@shared_task(ignore_result=True)
def generate_duties() -> int:
    """After midnight: every hall's duties of its new day (idempotent, so a second run changes nothing).
    Returns how many duties the halls have today."""
    return sum(len(services.duties_generate(hall=hall, date=hall.today())) for hall in Hall.objects.all())
