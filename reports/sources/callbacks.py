"""The sampled callbacks' parts (docs/KPIS.md "Across the hall": customer satisfaction pools them).

Readings where KPIS.md is silent:
- An answer is a sampled callback that reached the customer and has a satisfaction; it is satisfied at 4 or 5.
- It belongs to the day of the ticket called back (a record belongs to its start), on the clerk dimension to the
  clerk who served that ticket, on the hour dimension to nothing (the call is not the visit). A late answer moves
  a closed day: the roll-up re-rolls the day of a callback with a timeline event (reports.services.RECORD_DAYS).
"""

from callbacks.selectors import satisfaction_rows
from reports.engine import Source, register
from reports.sources.cases import Collector


def parts(halls, first, last):
    collector = Collector()
    for hall_id, day, clerk_id, answered, satisfied in satisfaction_rows(halls, first, last):
        values = {"callbacks_answered": answered, "callbacks_satisfied": satisfied}
        collector.add(hall_id, day, "total", "", **values)
        if clerk_id is not None:
            collector.add(hall_id, day, "clerk", clerk_id, **values)
    yield from collector.rows()


# No figure of its own: customer satisfaction (reports.sources.hall_wide) reads the parts.
register(Source(name="callbacks", parts=parts))
