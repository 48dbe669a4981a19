"""The hall's rules table through services.rules_set and the API: all or none, within their bounds, by the hall's
own hall manager (or an administrator), written only where they change."""

from decimal import Decimal

import pytest

from assessments import services
from assessments.models import AssessmentRule
from assessments.rules import rules_for
from assessments.services import RuleChange, RulesInvalid
from hall.errors import NotPermitted
from hall.models import Role, TimelineEvent
from tests.factories import UserFactory, person

pytestmark = pytest.mark.django_db


def stored(hall) -> dict:
    return {row.source: (row.points, row.cap, row.active) for row in AssessmentRule.objects.filter(hall=hall)}


def test_it_saves_the_changed_rules_and_leaves_the_unchanged_ones_as_they_are(hall, manager):
    written = services.rules_set(
        hall=hall,
        changes=[
            RuleChange("base", Decimal(100)),
            RuleChange("sla_breach", Decimal("1.5"), Decimal(6)),
            RuleChange("praise", Decimal(2), Decimal(10), active=False),
            RuleChange("duty_missed", Decimal(1), Decimal(10)),
        ],
        actor=manager,
    )

    assert {row.source for row in written} == {"sla_breach", "praise"}
    assert stored(hall) == {
        "sla_breach": (Decimal("1.5"), Decimal(6), True),
        "praise": (Decimal(2), Decimal(10), False),
    }
    assert AssessmentRule.objects.get(hall=hall, source="praise").kind == "bonus"
    assert TimelineEvent.objects.filter(action="rule_set").count() == 2
    rules = rules_for(hall)
    assert (rules["sla_breach"].points, rules["praise"].active, rules["base"].points) == (Decimal("1.5"), False, 100)


def test_one_rule_out_of_bounds_refuses_them_all(hall, manager):
    with pytest.raises(RulesInvalid) as refused:
        services.rules_set(
            hall=hall,
            changes=[
                RuleChange("sla_breach", Decimal(3)),
                RuleChange("praise", Decimal(-1)),
                RuleChange("duty_missed", Decimal(1), Decimal("1.234")),
            ],
            actor=manager,
        )

    assert set(refused.value.problems) == {"praise", "duty_missed"}
    assert set(refused.value.problems["praise"]) == {"points"}
    assert set(refused.value.problems["duty_missed"]) == {"cap"}
    assert "表扬" in str(refused.value.message)
    assert stored(hall) == {}
    assert not TimelineEvent.objects.filter(action="rule_set").exists()


@pytest.mark.parametrize("points", ["-0.01", "10000", "0.001", "NaN", "Infinity"])
def test_points_are_from_0_to_9999_99_with_two_decimals_at_most(hall, manager, points):
    with pytest.raises(RulesInvalid):
        services.rules_set(hall=hall, changes=[RuleChange("sla_breach", Decimal(points))], actor=manager)
    with pytest.raises(RulesInvalid):
        services.rules_set(hall=hall, changes=[RuleChange("sla_breach", Decimal(1), Decimal(points))], actor=manager)
    assert stored(hall) == {}


def test_the_bounds_themselves_are_allowed(hall, manager):
    services.rules_set(
        hall=hall,
        changes=[RuleChange("sla_breach", Decimal("9999.99"), Decimal(0)), RuleChange("praise", Decimal("0.50"))],
        actor=manager,
    )

    assert stored(hall) == {
        "sla_breach": (Decimal("9999.99"), Decimal(0), True),
        "praise": (Decimal("0.5"), None, True),
    }


@pytest.mark.parametrize(
    "change", [RuleChange("base", Decimal(90), Decimal(5)), RuleChange("base", Decimal(90), None, False)]
)
def test_the_base_score_has_no_cap_and_always_counts(hall, manager, change):
    with pytest.raises(RulesInvalid):
        services.rules_set(hall=hall, changes=[change], actor=manager)
    assert stored(hall) == {}


def test_a_source_nobody_registered_is_refused(hall, manager):
    with pytest.raises(RulesInvalid) as refused:
        services.rules_set(hall=hall, changes=[RuleChange("attitude", Decimal(10))], actor=manager)
    assert refused.value.problems == {"attitude": {"source": "没有这个考核来源。"}}
    assert stored(hall) == {}


def test_only_the_halls_own_hall_manager_or_an_administrator_sets_its_rules(hall, north, clerk, manager):
    change = [RuleChange("sla_breach", Decimal(2))]
    for someone in (clerk, person(hall, "duty", Role.DUTY_MANAGER), person(north, "north_manager", Role.HALL_MANAGER)):
        with pytest.raises(NotPermitted):
            services.rules_set(hall=hall, changes=change, actor=someone)
    assert stored(hall) == {}

    root = UserFactory(hall=None, username="root", roles=[], is_superuser=True)
    services.rules_set(hall=hall, changes=change, actor=root)
    assert stored(hall) == {"sla_breach": (Decimal(2), None, True)}


def test_the_api_sets_one_rule_through_the_same_service(api_as, hall, manager):
    response = api_as(manager).post(
        "/api/assessments/rules/", {"source": "sla_breach", "points": "2.5", "cap": "5"}, format="json"
    )

    assert response.status_code == 200
    assert {"source": "sla_breach", "kind": "deduction", "points": 2.5, "cap": 5.0, "active": True} in response.json()
    assert stored(hall) == {"sla_breach": (Decimal("2.5"), Decimal(5), True)}


@pytest.mark.parametrize(
    "body",
    [
        {"source": "sla_breach", "points": "-1"},
        {"source": "sla_breach", "points": "10000"},
        {"source": "sla_breach", "points": "1.234"},
        {"source": "sla_breach", "points": "1", "cap": "-5"},
        {"source": "base", "points": "90", "cap": "10"},
        {"source": "base", "points": "90", "active": False},
        {"source": "attitude", "points": "1"},
    ],
)
def test_the_api_answers_bad_rules_with_400_and_why_and_changes_nothing(api_as, hall, manager, body):
    response = api_as(manager).post("/api/assessments/rules/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["detail"]
    assert stored(hall) == {}


@pytest.mark.parametrize("points", ["abc", "NaN", True, None])
def test_the_api_refuses_what_is_not_a_number_as_a_field_error(api_as, hall, manager, points):
    response = api_as(manager).post(
        "/api/assessments/rules/", {"source": "sla_breach", "points": points}, format="json"
    )

    assert response.status_code == 400
    assert "points" in response.json()
    assert stored(hall) == {}
