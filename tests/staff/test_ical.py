"""The iCal feed: a person's shifts and duties as events in hall time, with UIDs that stay put."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation
from icalendar import Calendar

from hall.errors import InvalidTransition, NotPermitted
from hall.models import Role
from hall.timeline import timeline_for
from staff import roster_services, services
from staff.ical import calendar_for
from staff.models import CalendarFeed, ShiftTemplate
from tests.factories import UserFactory, person

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 3, 2)  # the `clock` fixture's day
TOMORROW = TODAY + dt.timedelta(days=1)


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def events(data: bytes) -> dict:
    return {str(event["uid"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


@pytest.fixture
def people(hall):
    return {"manager": person(hall, "manager", Role.HALL_MANAGER), "a": person(hall, "a"), "b": person(hall, "b")}


@pytest.fixture
def early(hall):
    return ShiftTemplate.objects.create(hall=hall, name="早班", start=dt.time(8), end=dt.time(12, 30))


@pytest.fixture
def chore(hall, people):
    return services.chore_create(
        hall=hall,
        name="开启排队叫号系统",
        a=people["a"],
        b=people["b"],
        schedule="daily 08:15",
        checklist="打开叫号主机\n检查显示屏",
    )


def shift(hall, person, day, start=dt.time(8), end=dt.time(12, 30), **kwargs):
    return roster_services.shift_create(hall=hall, staff=person, date=day, start=start, end=end, **kwargs)


def test_a_shift_is_an_event_named_by_its_template_and_post_in_hall_time(clock, hall, people, early):
    made = shift(hall, people["a"], TOMORROW, post="counter 3", template=early)

    event = events(calendar_for(people["a"]))[f"shift-{made.pk}@servicehall"]

    assert str(event["summary"]) == "早班 · counter 3"
    assert event.decoded("dtstart") == at(2026, 3, 3, 8, 0)
    assert event.decoded("dtend") == at(2026, 3, 3, 12, 30)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert str(event["location"]) == hall.name


def test_a_shift_without_a_template_or_post_is_called_shift(clock, hall, people):
    made = shift(hall, people["a"], TOMORROW, start=dt.time(13), end=dt.time(17, 30))

    with translation.override("en"):
        event = events(calendar_for(people["a"]))[f"shift-{made.pk}@servicehall"]

    assert str(event["summary"]) == "Shift"
    assert event.decoded("dtend") == at(2026, 3, 3, 17, 30)


def test_a_night_shift_ends_the_next_morning(clock, hall, people):
    made = shift(hall, people["a"], TOMORROW, start=dt.time(22), end=dt.time(6))

    event = events(calendar_for(people["a"]))[f"shift-{made.pk}@servicehall"]

    assert (event.decoded("dtstart"), event.decoded("dtend")) == (at(2026, 3, 3, 22), at(2026, 3, 4, 6))


def test_a_duty_is_a_half_hour_event_at_its_due_time_with_the_role_and_checklist(clock, hall, people, chore):
    [duty] = services.duties_generate(hall=hall, date=TOMORROW)

    event = events(calendar_for(people["a"]))[f"duty-{duty.pk}@servicehall"]

    assert str(event["summary"]) == "开启排队叫号系统 (A)"
    assert event.decoded("dtstart") == at(2026, 3, 3, 8, 15)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("duration") == dt.timedelta(minutes=30)
    assert "打开叫号主机\n检查显示屏" in str(event["description"])


def test_a_covered_duty_is_in_bs_calendar_as_b_with_the_reason(clock, hall, people, chore):
    request = roster_services.leave_request(staff=people["a"], start=TOMORROW, end=TOMORROW)
    roster_services.leave_approve(leave=request, actor=people["manager"])
    [duty] = services.duties_generate(hall=hall, date=TOMORROW)

    event = events(calendar_for(people["b"]))[f"duty-{duty.pk}@servicehall"]

    assert str(event["summary"]) == "开启排队叫号系统 (B)"
    assert f"{people['a']} 请假，由 {people['b']} 顶岗" in str(event["description"])
    assert events(calendar_for(people["a"])) == {}


def test_it_covers_a_week_back_to_sixty_days_ahead(clock, hall, people):
    days = [TODAY + dt.timedelta(days=n) for n in (-8, -7, 0, 60, 61)]
    made = {day: shift(hall, people["a"], day) for day in days}

    uids = set(events(calendar_for(people["a"])))

    assert uids == {f"shift-{made[day].pk}@servicehall" for day in days[1:4]}


def test_it_counts_the_window_from_the_day_given(clock, hall, people):
    made = shift(hall, people["a"], dt.date(2026, 6, 1))

    assert events(calendar_for(people["a"])) == {}
    assert set(events(calendar_for(people["a"], today=dt.date(2026, 5, 1)))) == {f"shift-{made.pk}@servicehall"}


def test_it_lists_only_the_persons_own_shifts_and_duties(clock, hall, people, chore):
    mine = shift(hall, people["a"], TOMORROW)
    theirs = shift(hall, people["b"], TOMORROW)
    [duty] = services.duties_generate(hall=hall, date=TOMORROW)

    assert set(events(calendar_for(people["a"]))) == {f"shift-{mine.pk}@servicehall", f"duty-{duty.pk}@servicehall"}
    assert set(events(calendar_for(people["b"]))) == {f"shift-{theirs.pk}@servicehall"}


def test_the_uids_stay_the_same_from_one_fetch_to_the_next(clock, hall, people, chore, early):
    shift(hall, people["a"], TOMORROW, template=early)
    services.duties_generate(hall=hall, date=TOMORROW)
    first = events(calendar_for(people["a"]))
    clock.shift(dt.timedelta(hours=1))

    again = events(calendar_for(people["a"]))

    assert len(first) == 2
    assert again.keys() == first.keys()
    assert {uid: event.decoded("dtstart") for uid, event in again.items()} == {
        uid: event.decoded("dtstart") for uid, event in first.items()
    }


def test_the_calendar_names_itself_and_its_product_and_carries_the_time_zone(clock, hall, people, early):
    shift(hall, people["a"], TOMORROW, template=early)

    calendar = Calendar.from_ical(calendar_for(people["a"]))

    assert str(calendar["version"]) == "2.0"
    assert "Service Hall" in str(calendar["prodid"])
    assert people["a"].display_name in str(calendar["x-wr-calname"])
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    for event in calendar.walk("VEVENT"):
        assert "dtstamp" in event


def test_an_empty_calendar_is_still_a_valid_calendar(clock, people):
    calendar = Calendar.from_ical(calendar_for(people["a"]))

    assert calendar.name == "VCALENDAR"
    assert calendar.walk("VEVENT") == []


# Drop the mark once staff.views.calendar_feed serves calendar_for (it then shows as XPASS).
def test_the_feed_url_serves_the_persons_calendar_and_refuses_an_unknown_token(client, clock, hall, people, chore):
    made = shift(hall, people["a"], TOMORROW)
    [duty] = services.duties_generate(hall=hall, date=TOMORROW)
    feed = CalendarFeed.objects.create(user=people["a"])

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert set(events(response.content)) == {f"shift-{made.pk}@servicehall", f"duty-{duty.pk}@servicehall"}
    assert client.get("/calendar/not-a-token.ics").status_code == 404


# A new address


def test_a_new_address_stops_the_old_one(client, clock, people):
    old = CalendarFeed.objects.create(user=people["a"]).token

    feed = roster_services.calendar_feed_rotate(user=people["a"], actor=people["a"])

    assert feed.token != old
    assert CalendarFeed.objects.get(user=people["a"]).token == feed.token
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 200


def test_a_person_without_an_address_yet_gets_one(clock, people):
    feed = roster_services.calendar_feed_rotate(user=people["a"], actor=people["a"])

    assert CalendarFeed.objects.get(user=people["a"]) == feed


def test_the_person_renewing_their_own_address_is_not_told_and_the_timeline_keeps_it(clock, people):
    roster_services.calendar_feed_rotate(user=people["a"], actor=people["a"])

    assert not people["a"].notifications.exists()
    [event] = timeline_for(people["a"])
    assert (event.action, event.actor) == ("calendar_feed_rotate", people["a"])


def test_the_hall_manager_gives_a_person_a_new_address_and_they_are_told(clock, people):
    old = CalendarFeed.objects.create(user=people["a"]).token

    roster_services.calendar_feed_rotate(user=people["a"], actor=people["manager"])

    assert CalendarFeed.objects.get(user=people["a"]).token != old
    assert people["a"].notifications.filter(kind="calendar_feed_rotated").count() == 1


@pytest.mark.parametrize("who", ["b", "north_manager"])
def test_nobody_else_gives_a_person_a_new_address(clock, people, north, who):
    people["north_manager"] = UserFactory(hall=north, roles=[Role.HALL_MANAGER])
    old = CalendarFeed.objects.create(user=people["a"]).token

    with pytest.raises(NotPermitted):
        roster_services.calendar_feed_rotate(user=people["a"], actor=people[who])

    assert CalendarFeed.objects.get(user=people["a"]).token == old


def test_someone_who_has_left_gets_no_new_address(clock, people):
    people["a"].is_active = False
    people["a"].save(update_fields=["is_active"])

    with pytest.raises(InvalidTransition):
        roster_services.calendar_feed_rotate(user=people["a"], actor=people["manager"])

    assert not CalendarFeed.objects.exists()
