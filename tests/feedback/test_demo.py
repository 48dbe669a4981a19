import pytest

from assessments.facts import SOURCES
from feedback import demo
from feedback.models import Feedback, MysteryVisit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_hall_gets_suggestions_praise_and_a_visit_with_evidence_once(clock, hall, clerk, manager, duty):
    UserFactory(hall=hall, username="clerk2", roles=["clerk"])

    demo.seed(hall)
    demo.seed(hall)

    assert sorted(Feedback.objects.values_list("kind", flat=True)) == ["praise", "praise", "suggestion", "suggestion"]
    visit = MysteryVisit.objects.get()
    assert visit.evidence.count() == 1
    visited = visit.visited_at.astimezone(hall.tz).date()
    (deduction,) = SOURCES["mystery_failed"].facts(hall, visited, hall.today())
    assert deduction.link == visit.get_absolute_url()
