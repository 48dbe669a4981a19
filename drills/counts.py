"""Counting, in the database, what the hall wrote and sent: the SLA reminders of each clock, and the outbox rows
that reached the SMS gateway."""

from collections import Counter, defaultdict
from collections.abc import Iterable

from hall.models import Notification, NotificationChannel, SlaClock, SlaLevel
from harness.sms_gateway import SmsGateway

# How many reminder rows each level writes in a drill's hall (hall/sla.py; README, "The SLA engine"): a warning
# to the person responsible in the app; a breach to them and the duty manager, in the app and by SMS; an
# escalation to the hall manager, in the app and by SMS.
ROWS_PER_LEVEL = {
    SlaLevel.WARNED_HALF: 1,
    SlaLevel.WARNED_THREE_QUARTERS: 1,
    SlaLevel.BREACHED: 4,
    SlaLevel.ESCALATED: 2,
}


def kind_of(level: int) -> str:
    return f"sla_{SlaLevel(level).name.lower()}"


def reminders(clocks: Iterable[SlaClock]) -> dict[int, Counter]:
    """Per clock id, how many reminder rows there are of each (kind, recipient, channel)."""
    thread_of = {f"sla:{clock.content_type_id}:{clock.object_id}:{clock.name}": clock.pk for clock in clocks}
    found = defaultdict(Counter)
    rows = Notification.objects.filter(kind__startswith="sla_").values_list("thread", "kind", "recipient", "channel")
    for thread, kind, recipient, channel in rows.iterator(chunk_size=5000):
        if thread in thread_of:
            found[thread_of[thread]][kind, recipient, channel] += 1
    return found


def level_rows(rows: Counter, level: int) -> int:
    """How many different rows a clock has for this level."""
    return sum(1 for kind, _recipient, _channel in rows if kind == kind_of(level))


def repeats(rows: Counter) -> int:
    """Rows beyond the first of each (kind, recipient, channel)."""
    return sum(count - 1 for count in rows.values())


def outbox(gateway: SmsGateway) -> dict:
    """The SMS rows: how many there are, how many are still unsent, how many never reached the gateway, and how
    many times the gateway was given one beyond the first."""
    sms = Notification.objects.filter(channel=NotificationChannel.SMS)
    ids = set(sms.values_list("pk", flat=True))
    posted = gateway.counts()
    return {
        "rows": len(ids),
        "unsent": sms.filter(sent_at__isnull=True).count(),
        "never_posted": len(ids - set(posted)),
        "posted_again": sum(count - 1 for pk, count in posted.items() if pk in ids),
    }


def check_levels(figures, expected: dict[int, int]) -> None:
    """Each clock at the level it reached, with that level's reminders once and no other level's."""
    clocks = list(SlaClock.objects.filter(pk__in=expected))
    found = reminders(clocks)
    wrong_level = lost = duplicated = 0
    for clock in clocks:
        rows, level = found.get(clock.pk, {}), expected[clock.pk]
        wrong_level += clock.level != level
        lost += ROWS_PER_LEVEL[level] - level_rows(rows, level)
        duplicated += repeats(rows) + sum(1 for kind, _, _ in rows if kind != kind_of(level))
    written = sum(ROWS_PER_LEVEL[level] for level in expected.values())
    figures.checked += len(clocks)
    figures.lost += lost
    figures.duplicated += duplicated
    figures.check(wrong_level == 0, f"{wrong_level} clocks not at the level they reached")
    figures.check(lost == 0, f"{lost} reminders missing")
    figures.check(duplicated == 0, f"{duplicated} reminders written twice")
    figures.note(f"{len(clocks):,} levels: {written:,} reminder rows expected, {lost} missing, {duplicated} twice")


def check_outbox(figures, gateway: SmsGateway) -> None:
    """Every SMS row sent, each posted to the gateway once."""
    sent = outbox(gateway)
    figures.checked += sent["rows"]
    figures.lost += sent["never_posted"]
    figures.duplicated += sent["posted_again"]
    figures.check(sent["never_posted"] == 0, f"{sent['never_posted']} SMS never reached the gateway")
    figures.check(sent["posted_again"] == 0, f"{sent['posted_again']} SMS reached the gateway twice")
    figures.note(f"{sent['rows']:,} SMS: {sent['never_posted']} never sent, {sent['posted_again']} sent twice")
