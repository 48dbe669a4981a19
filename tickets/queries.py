"""The walk-in queue's hand-written statements, for the kiosk's hot path. Each has its rule written once in the
ORM in tickets/selectors.py; a test compares the two on the same queue."""

from django.db import connection

from tickets.models import Counter, CounterService, CounterStatus, Priority, Ticket, TicketStatus


def queue_at_issue(ticket: Ticket) -> tuple[int, int]:
    """selectors.people_ahead and selectors.open_counters_serving for a ticket being issued, in one statement.

    In SQL because building the two ORM counts costs several times their round trip, on every kiosk press.
    Not a planned_cursor: the best index depends on how many tickets there are, and a plan made once while
    the table was small would go on reading every ticket of the hall."""
    # The ticket is not saved yet: it comes after every waiting one issued at the same instant or before.
    earlier = "issued_at <= %s AND priority = %s"
    if ticket.priority != Priority.PRIORITY:
        earlier = "(issued_at <= %s OR priority = %s)"
    ahead = f"""
        SELECT COUNT(*) FROM {Ticket._meta.db_table}
        WHERE hall_id = %s AND business_type_id = %s AND status = %s AND {earlier}"""
    params = [ticket.hall_id, ticket.business_type_id, TicketStatus.WAITING, ticket.issued_at, Priority.PRIORITY]
    counter, service = Counter._meta.db_table, CounterService._meta.db_table
    open_counters = f"""
        SELECT COUNT(*) FROM {counter} JOIN {service} ON {service}.counter_id = {counter}.id
        WHERE {service}.business_type_id = %s AND {counter}.status = %s"""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({ahead}), ({open_counters})", [*params, ticket.business_type_id, CounterStatus.OPEN])
        return cursor.fetchone()
