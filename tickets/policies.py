"""Who may work a counter and the tickets at it. The services apply these checks under the counter's or the
ticket's row lock, so the console, the API and a task can never disagree."""

from django.utils.translation import gettext as _

from hall.errors import NotPermitted
from hall.models import MANAGER_ROLES
from tickets.models import Counter, CounterStatus, Ticket

# The moves of a ticket that work it at its counter. Reactivating a no-show only puts the customer back in the
# queue, and a waiting ticket is at no counter.
COUNTER_WORK = {"recall", "start", "finish", "no_show", "cancel", "transfer"}


def _person(actor) -> bool:
    # A task or a script takes nobody's counter: the rule is about people.
    return actor is not None and actor.is_authenticated


def works_counter(actor, counter: Counter) -> bool:
    """Only the clerk signed in at a counter works it; one nobody is signed in at (opened by a task) anyone may."""
    return not _person(actor) or counter.clerk_id in (None, actor.pk)


def ensure_may_work_counter(actor, counter: Counter, action: str) -> None:
    """`action` is "open", "pause", "close" or "call". A closed counter is free: opening it signs the actor in.
    A duty or hall manager may close a counter for its clerk, so that another can take it over."""
    if works_counter(actor, counter) or (action == "open" and counter.status == CounterStatus.CLOSED):
        return
    if action == "close":
        if actor.has_role(*MANAGER_ROLES):
            return
        raise NotPermitted(_("Only the clerk signed in at this counter or a manager can close it."))
    raise NotPermitted(
        _("%(clerk)s is signed in at this counter: only they can work it.") % {"clerk": counter.clerk.display_name}
    )


def ensure_may_move_ticket(actor, ticket: Ticket, action: str) -> None:
    """A ticket at a counter is worked by whoever works that counter, who is the person who called it there: a
    counter changes hands only empty (it closes only without a customer, and only its clerk resumes it paused).
    So the ticket's own row answers, without reading the counter on every start and finish."""
    at_counter = action in COUNTER_WORK and ticket.counter_id is not None
    if at_counter and _person(actor) and ticket.served_by_id not in (None, actor.pk):
        raise NotPermitted(
            _("Ticket %(number)s is at a counter where %(clerk)s is signed in: only they can work it.")
            % {"number": ticket.number, "clerk": ticket.served_by.display_name}
        )
