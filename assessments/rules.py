"""Each hall's assessment rules: the rows it has, and the defaults for a source (or a whole hall) without one."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from assessments.facts import BONUS, DEDUCTION, SOURCES
from assessments.models import AssessmentRule

BASE = "base"  # the rule whose points are the base score


@dataclass(frozen=True)
class Rule:
    source: str
    kind: str
    points: Decimal
    cap: Decimal | None
    active: bool = True


def _rule(source, kind, points, cap=None) -> Rule:
    return Rule(source, kind, Decimal(points), None if cap is None else Decimal(cap))


# The demo hall's rules, and every hall's until it has its own rows.
DEFAULT_RULES = {
    BASE: _rule(BASE, BONUS, 100),
    "patrol_failed": _rule("patrol_failed", DEDUCTION, 2, 20),
    "mystery_failed": _rule("mystery_failed", DEDUCTION, 3, 30),
    "praise": _rule("praise", BONUS, 2, 10),
    "callback_satisfaction": _rule("callback_satisfaction", BONUS, "0.5", 5),
    "complaint_justified": _rule("complaint_justified", DEDUCTION, 5, 30),
    "sla_breach": _rule("sla_breach", DEDUCTION, 1, 10),
    "duty_missed": _rule("duty_missed", DEDUCTION, 1, 10),
    "shift_no_show": _rule("shift_no_show", DEDUCTION, 5, 30),
    "pad_satisfaction": _rule("pad_satisfaction", BONUS, "0.5", 5),
}
BASE_LABEL = gettext_lazy("Base score")
# A registered source the defaults do not know yet (a new app's): one point a unit, no cap.
FALLBACK_POINTS = Decimal(1)


def ordered_sources() -> list[str]:
    """The registered sources as the rules page and the workbook list them: the deductions, then the bonuses."""
    return sorted(SOURCES, key=lambda name: SOURCES[name].kind == BONUS)


def rules_for(hall) -> dict[str, Rule]:
    """The hall's rule for the base and for every registered source: its row, else the default."""
    rows = {row.source: row for row in AssessmentRule.objects.filter(hall=hall)}
    found = {}
    for source in [BASE, *ordered_sources()]:
        row = rows.get(source)
        if row is not None:
            found[source] = Rule(source, row.kind, row.points, row.cap, row.active)
        elif source in DEFAULT_RULES:
            found[source] = DEFAULT_RULES[source]
        else:
            found[source] = Rule(source, SOURCES[source].kind, FALLBACK_POINTS, None)
    return found


def source_label(source: str) -> str:
    """The source's label from the registry, in the active language; a source no longer registered (on a sheet
    closed before) by its key."""
    if source == BASE:
        return str(BASE_LABEL)
    registered = SOURCES.get(source)
    return str(registered.label) if registered else source
