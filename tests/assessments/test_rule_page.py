"""The rules page /assessments/rules/: every registered source with its label, kind, points, cap and whether it
counts, saved in one form through the same service as the API; for the hall's own hall manager and administrators."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.facts import SOURCES
from assessments.models import AssessmentRule, Sheet
from complaints import services as complaint_services
from hall.models import Role
from tests.assessments.conftest import at
from tests.factories import UserFactory, accept_complaint, person

pytestmark = pytest.mark.django_db
RULES = "/assessments/rules/"
LABELS = {
    "patrol_failed": "巡场不合格项",
    "mystery_failed": "暗访不合格项",
    "complaint_justified": "有效投诉",
    "sla_breach": "超时未办结",
    "duty_missed": "值守事项未按时完成",
    "shift_no_show": "排班缺勤",
    "praise": "表扬",
    "callback_satisfaction": "回访满意度",
    "pad_satisfaction": "评价器满意度",
}


def the_form(**changed) -> dict:
    """The form as the page fills it for a hall on the defaults, with some fields changed (None leaves one out)."""
    data = {
        "points-base": "100",
        **{f"points-{source}": "1" for source in SOURCES},
        **{f"active-{source}": "on" for source in SOURCES},
        **{f"cap-{source}": "10" for source in SOURCES},
    }
    defaults = {
        "patrol_failed": ("2", "20"),
        "mystery_failed": ("3", "30"),
        "praise": ("2", "10"),
        "callback_satisfaction": ("0.5", "5"),
        "complaint_justified": ("5", "30"),
        "shift_no_show": ("5", "30"),
        "pad_satisfaction": ("0.5", "5"),
    }
    for source, (points, cap) in defaults.items():
        data[f"points-{source}"], data[f"cap-{source}"] = points, cap
    data.update(changed)
    return {name: value for name, value in data.items() if value is not None}


def breach(traveller, hall, who, day):
    traveller.move_to(at(day, 10))
    complaint = accept_complaint(hall, actor=who)
    traveller.move_to(at(day, 12, 30))
    complaint = complaint_services.complaint_resolve(
        complaint=complaint, resolution="已解决", customer_confirmed=True, actor=who
    )
    complaint_services.complaint_follow_up(complaint=complaint, satisfaction=5, actor=who)


def score(client, month: str) -> str:
    html = client.get(f"{reverse('my-assessment')}?month={month}").content.decode()
    return re.search(r'class="score">([^<]+)<', html).group(1)


def test_the_page_shows_every_source_with_its_label_kind_points_cap_and_whether_it_counts(client_as, hall, manager):
    AssessmentRule.objects.create(hall=hall, source="praise", kind="bonus", points=3, cap=None, active=False)

    response = client_as(manager).get(RULES)

    assert response.status_code == 200
    html = response.content.decode()
    for source, label in LABELS.items():
        row = re.search(rf'<tr id="rule-{source}".*?</tr>', html, re.S).group(0)
        assert label in row
        assert ("加分" if SOURCES[source].kind == "bonus" else "扣分") in row
    praise = re.search(r'<tr id="rule-praise".*?</tr>', html, re.S).group(0)
    assert 'name="points-praise" value="3"' in praise and 'name="cap-praise"' in praise
    assert 'name="cap-praise" value=' not in praise
    assert 'name="active-praise"' in praise and "checked" not in praise
    breach_row = re.search(r'<tr id="rule-sla_breach".*?</tr>', html, re.S).group(0)
    assert 'value="1"' in breach_row and 'value="10"' in breach_row and "checked" in breach_row
    base = re.search(r'<tr id="rule-base".*?</tr>', html, re.S).group(0)
    assert "基础分" in base and 'value="100"' in base and "cap-base" not in base and "active-base" not in base
    assert "规则修改适用于所有尚未月结的月份" in html


def test_the_halls_assessments_page_links_to_it(client_as, manager):
    html = client_as(manager).get(reverse("hall-assessments")).content.decode()
    assert 'href="/assessments/rules/' in html


def test_saving_the_form_changes_the_rules_of_the_open_months_only(traveller, client_as, hall, clerk, manager):
    breach(traveller, hall, clerk, dt.date(2026, 10, 27))
    breach(traveller, hall, clerk, dt.date(2026, 11, 10))
    page = client_as(manager)
    page.post(reverse("hall-assessments"), {"action": "close", "month": "2026-10"})
    assert Sheet.objects.get(staff=clerk, month=dt.date(2026, 10, 1)).status == "closed"

    response = page.post(
        RULES, the_form(**{"points-base": "90", "points-sla_breach": "4", "cap-sla_breach": "", "active-praise": None})
    )

    assert response.status_code == 302
    assert {row.source: (row.points, row.cap, row.active) for row in AssessmentRule.objects.filter(hall=hall)} == {
        "base": (Decimal(90), None, True),
        "sla_breach": (Decimal(4), None, True),
        "praise": (Decimal(2), Decimal(10), False),
    }
    assert "规则已保存：3 项有改动。" in page.get(response["Location"]).content.decode()
    clerk_page = client_as(clerk)
    assert score(clerk_page, "2026-10") == "99"
    assert score(clerk_page, "2026-11") == "86"


@pytest.mark.parametrize(
    "field, value",
    [
        ("points-sla_breach", "-1"),
        ("points-sla_breach", "1.234"),
        ("points-sla_breach", "10000"),
        ("points-sla_breach", "abc"),
        ("points-sla_breach", ""),
        ("cap-sla_breach", "-5"),
        ("cap-sla_breach", "NaN"),
    ],
)
def test_a_bad_field_is_marked_and_nothing_is_saved(client_as, hall, manager, field, value):
    response = client_as(manager).post(RULES, the_form(**{"points-praise": "7", field: value}))

    assert response.status_code == 400
    html = response.content.decode()
    assert "未保存任何修改：请更正标出的项。" in html
    row = re.search(r'<tr id="rule-sla_breach" class="rule-row rule-flagged".*?</tr>', html, re.S).group(0)
    assert 'class="field-error"' in row
    assert 'name="points-praise" value="7"' in html  # what was typed stays
    assert not AssessmentRule.objects.filter(hall=hall).exists()


def test_the_bounds_are_said_in_words(client_as, manager):
    html = client_as(manager).post(RULES, the_form(**{"cap-duty_missed": "1.234"})).content.decode()
    row = re.search(r'<tr id="rule-duty_missed".*?</tr>', html, re.S).group(0)
    assert "封顶须为 0 到 9999.99 之间的数，最多两位小数；不封顶请留空。" in row


def test_nothing_but_the_rules_of_registered_sources_is_read(traveller, client_as, hall, clerk, manager):
    breach(traveller, hall, clerk, dt.date(2026, 11, 10))
    free = {"points-attitude": "10", "active-attitude": "on", "score": "60", "line": "不微笑", "staff": clerk.pk}

    response = client_as(manager).post(RULES, the_form(**free))

    assert response.status_code == 302
    assert not AssessmentRule.objects.filter(hall=hall).exists()
    assert score(client_as(clerk), "2026-11") == "99"


def test_only_the_hall_manager_opens_or_posts_it(client_as, hall, clerk):
    duty = person(hall, "duty", Role.DUTY_MANAGER)
    for someone in (clerk, duty):
        page = client_as(someone)
        assert page.get(RULES).status_code == 403
        assert page.post(RULES, the_form(**{"points-sla_breach": "9"})).status_code == 403
    assert not AssessmentRule.objects.exists()


def test_another_halls_manager_changes_only_their_own_halls_rules(client_as, hall, north):
    north_manager = person(north, "north_manager", Role.HALL_MANAGER)

    response = client_as(north_manager).post(f"{RULES}?hall={hall.pk}", the_form(**{"points-sla_breach": "9"}))

    assert response.status_code == 302
    assert not AssessmentRule.objects.filter(hall=hall).exists()
    assert AssessmentRule.objects.get(hall=north).points == 9


def test_an_administrator_sets_the_rules_of_the_hall_they_pick(client_as, hall, north):
    root = UserFactory(hall=None, username="root", roles=[], is_superuser=True, is_staff=True)

    response = client_as(root).post(f"{RULES}?hall={north.pk}", the_form(**{"points-sla_breach": "9"}))

    assert response.status_code == 302 and response["Location"] == f"{RULES}?hall={north.pk}"
    assert AssessmentRule.objects.get(hall=north, source="sla_breach").points == 9
    assert not AssessmentRule.objects.filter(hall=hall).exists()


def test_an_empty_post_is_refused_and_changes_nothing(client_as, hall, manager):
    response = client_as(manager).post(RULES, {})

    assert response.status_code == 400
    assert "未保存任何修改" in response.content.decode()
    assert not AssessmentRule.objects.exists()
