"""The assessment fact `callback_satisfaction` (BONUS): a person's sampled-callback satisfaction rate over the period
above the hall's, in percentage points, from at least MIN_ANSWERS answers about tickets they served. A rule, counted
from the answers: nobody scores it."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from assessments.facts import Fact
from callbacks.selectors import satisfaction_rows

MIN_ANSWERS = 3


def callback_satisfaction(hall, first: dt.date, last: dt.date):
    answered, satisfied = defaultdict(int), defaultdict(int)
    for _hall_id, _day, clerk_id, n, good in satisfaction_rows([hall], first, last):
        answered[clerk_id] += n
        satisfied[clerk_id] += good
    hall_answered = sum(answered.values())
    if not hall_answered:
        return
    hall_rate = sum(satisfied.values()) / hall_answered
    at = timezone.make_aware(dt.datetime.combine(last, dt.time(23, 59, 59)), hall.tz)
    for clerk_id, n in sorted(answered.items(), key=lambda item: item[0] or 0):
        if clerk_id is None or n < MIN_ANSWERS:
            continue
        rate = satisfied[clerk_id] / n
        points = round((rate - hall_rate) * 100, 1)
        if points <= 0:
            continue
        yield Fact(
            staff_id=clerk_id,
            source="callback_satisfaction",
            record=f"回访满意率 {rate:.0%}（{satisfied[clerk_id]}/{n}），全厅 {hall_rate:.0%}",
            link=f"/callbacks/?date={last.isoformat()}&clerk={clerk_id}",
            at=at,
            note=f"{first.isoformat()}–{last.isoformat()}",
            amount=points,
        )
