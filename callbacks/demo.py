"""The demo halls' sampled callbacks: the last few days of history sampled, most of them answered."""

import datetime as dt
import random

from callbacks import services
from callbacks.policies import CALLER_ROLES
from hall.models import User

DAYS = 5


def seed(hall) -> int:
    """Samples the hall's last DAYS days (idempotent) and answers about four in five of the drawn calls, each by
    one of the hall's clerks or managers. Returns the answers written."""
    callers = list(User.objects.filter(hall=hall, groups__name__in=CALLER_ROLES).distinct().order_by("pk"))
    if not callers:
        return 0
    written = 0
    for n in range(DAYS, 0, -1):
        for callback in services.sample_day(hall=hall, day=hall.today() - dt.timedelta(days=n)):
            # One generator per call, so that a second run makes the same choices for the calls left unanswered.
            rng = random.Random(f"demo-callbacks:{callback.pk}")
            if callback.answered_at is not None or callback.caller_id is not None or rng.random() > 0.8:
                continue
            caller = rng.choice(callers)
            services.reveal(callback=callback, actor=caller)
            reached = rng.random() < 0.85
            satisfaction = rng.choices([5, 4, 3, 2], weights=[60, 28, 8, 4])[0] if reached else None
            services.answer(callback=callback, actor=caller, reached=reached, satisfaction=satisfaction)
            written += 1
    return written
