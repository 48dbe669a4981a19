"""The demo hall's assessment rules: the defaults, as rows the hall manager can edit (idempotent)."""

from assessments.models import AssessmentRule
from assessments.rules import DEFAULT_RULES


def seed(hall) -> None:
    for rule in DEFAULT_RULES.values():
        AssessmentRule.objects.get_or_create(
            hall=hall, source=rule.source, defaults={"kind": rule.kind, "points": rule.points, "cap": rule.cap}
        )
