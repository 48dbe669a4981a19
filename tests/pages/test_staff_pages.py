import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hall.models import DutyManagerDay, Role, User
from staff import handover_services, roster_services, services
from staff.models import CalendarFeed, Chore, Duty, DutyRole, DutyStatus, Handover, HandoverStatus, Leave, Shift
from tests.factories import UserFactory, person

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # the clock fixture's day
PAGES = ["duty-board", "chore-list", "roster-week", "leave-list", "handover-list"]


PAGE_LANGUAGE = "en"  # see client_as in tests/conftest.py


@pytest.fixture
def people(hall, clock):
    return {
        "manager": person(hall, "boss", Role.HALL_MANAGER, name="BOSS"),
        "duty": person(hall, "duty", Role.DUTY_MANAGER, name="DUTY"),
        "a": person(hall, "anna", name="ANNA"),
        "b": person(hall, "bert", name="BERT"),
        "c": person(hall, "cleo", name="CLEO"),
    }


@pytest.fixture
def chore(hall, people):
    return services.chore_create(
        hall=hall, name="开启排队机", a=people["a"], b=people["b"], schedule="daily 10:00", actor=people["manager"]
    )


@pytest.fixture
def duty(hall, chore):
    [duty] = services.duties_generate(hall=hall, date=MONDAY)
    return duty


@pytest.fixture
def stranger(other_hall):
    return UserFactory(hall=other_hall, username="stranger", roles=[Role.HALL_MANAGER])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html(response) -> str:
    return response.content.decode()


def on_leave(person, manager, start=MONDAY, end=MONDAY):
    leave = roster_services.leave_request(staff=person, start=start, end=end, actor=person)
    return roster_services.leave_approve(leave=leave, actor=manager)[0]


# Who may open which page


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_sends_anonymous_posts_to_log_in(client, duty):
    for url in (reverse("duty-action", args=[duty.pk, "done"]), reverse("roster-action", args=["add"])):
        assert client.post(url).url.startswith(reverse("login"))
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


@pytest.mark.parametrize("role", [Role.CLERK, Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.REPAIR_WORKER])
@pytest.mark.parametrize("name", ["duty-board", "roster-week", "leave-list", "handover-list"])
def test_every_member_of_the_hall_opens_the_staff_pages(client_as, hall, clock, name, role):
    assert client_as(UserFactory(hall=hall, roles=[role])).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_someone_of_no_hall_is_refused(client_as, db, name):
    assert client_as(UserFactory(hall=None, roles=[Role.CLERK])).get(reverse(name)).status_code == 403


def test_the_ab_page_is_for_managers_only(client_as, people, chore):
    assert client_as(people["manager"]).get(reverse("chore-list")).status_code == 200
    assert client_as(people["duty"]).get(reverse("chore-list")).status_code == 200
    assert client_as(people["a"]).get(reverse("chore-list")).status_code == 403


def test_the_nav_links_the_duty_board_whose_tabs_link_the_rest(client_as, people):
    assert f'href="{reverse("duty-board")}"' in html(client_as(people["a"]).get(reverse("notifications")))
    clerk_page = html(client_as(people["a"]).get(reverse("duty-board")))
    manager_page = html(client_as(people["duty"]).get(reverse("duty-board")))
    for name in ("duty-board", "roster-week", "leave-list", "handover-list"):
        assert f'href="{reverse(name)}"' in clerk_page
    assert f'href="{reverse("chore-list")}"' not in clerk_page
    assert f'href="{reverse("chore-list")}"' in manager_page


def test_the_calendar_link_serves_the_persons_calendar(client, people, duty):
    feed = CalendarFeed.objects.create(user=people["a"])
    response = client.get(reverse("calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content
    people["a"].is_active = False
    people["a"].save()
    assert client.get(reverse("calendar-feed", args=[feed.token])).status_code == 404


def test_records_of_another_hall_are_not_found(client_as, stranger, people, duty, chore):
    shift = roster_services.shift_create(
        hall=duty.hall, staff=people["a"], date=MONDAY, start=dt.time(8), end=dt.time(12)
    )
    leave = roster_services.leave_request(staff=people["c"], start=MONDAY, end=MONDAY)
    handover = handover_services.handover_create(hall=duty.hall, author=people["a"], shift_end=dt.datetime.now(dt.UTC))
    page = client_as(stranger)
    assert page.post(reverse("duty-action", args=[duty.pk, "done"])).status_code == 404
    assert page.post(reverse("chore-action", args=[chore.pk, "assign"]), {"a": stranger.pk}).status_code == 404
    assert page.post(reverse("leave-action", args=[leave.pk, "approve"])).status_code == 404
    assert page.post(reverse("handover-action", args=[handover.pk, "acknowledge"])).status_code == 404
    assert page.post(reverse("roster-action", args=["remove"]), {"shift": shift.pk}).status_code == 404
    duty.refresh_from_db()
    leave.refresh_from_db()
    assert (duty.status, leave.status, Shift.objects.count()) == (DutyStatus.OPEN, "requested", 1)


def test_unknown_records_and_actions_are_not_found(client_as, people, duty):
    page = client_as(people["manager"])
    assert page.post(reverse("duty-action", args=[999999, "done"])).status_code == 404
    assert page.post(reverse("duty-action", args=[duty.pk, "explode"])).status_code == 404
    assert page.post(reverse("roster-action", args=["explode"])).status_code == 404
    assert page.post(reverse("leave-action", args=[999999, "approve"])).status_code == 404
    assert page.post(reverse("handover-action", args=[999999, "acknowledge"])).status_code == 404


# Duty board


def test_the_board_lists_the_days_duties_with_who_and_when(client_as, people, duty):
    page = html(client_as(people["c"]).get(reverse("duty-board")))
    assert "开启排队机" in page
    assert "10:00" in page
    assert "ANNA" in page
    assert 'class="duty-role duty-role-A"' in page
    assert "duty-open" in page


def test_the_board_shows_b_with_the_reason_when_a_is_on_leave(client_as, people, duty):
    on_leave(people["a"], people["manager"])
    page = html(client_as(people["c"]).get(reverse("duty-board")))
    assert 'class="duty-role duty-role-B"' in page
    assert "ANNA is on leave; BERT covers" in page


def test_an_undone_duty_past_its_time_is_overdue(client_as, people, duty, clock):
    clock.shift(dt.timedelta(hours=2))
    assert "duty-overdue" in html(client_as(people["c"]).get(reverse("duty-board")))


def test_the_board_moves_from_day_to_day(client_as, people, duty):
    page = client_as(people["c"])
    tomorrow = html(page.get(reverse("duty-board"), {"date": "2026-03-03"}))
    assert "开启排队机" not in tomorrow
    assert "?date=2026-03-02" in tomorrow and "?date=2026-03-04" in tomorrow
    response = page.get(reverse("duty-board"), {"date": "03/03"})
    assert response.status_code == 200
    assert "开启排队机" in html(response)
    assert len(texts(response)) == 1


def test_managers_generate_the_days_duties_and_again_changes_nothing(client_as, people, chore):
    page = client_as(people["duty"])
    assert "Generate / refresh today" in html(page.get(reverse("duty-board")))
    page.post(reverse("duty-board"), {"date": "2026-03-02"})
    response = page.post(reverse("duty-board"), {"date": "2026-03-02"})
    assert response.status_code == 302
    assert Duty.objects.get().responsible == people["a"]


def test_clerks_neither_see_nor_use_the_generate_button(client_as, people, chore):
    page = client_as(people["a"])
    assert "Generate" not in html(page.get(reverse("duty-board")))
    assert page.post(reverse("duty-board"), {"date": "2026-03-02"}).status_code == 403
    assert not Duty.objects.exists()


def test_past_days_are_not_generated(client_as, people, chore):
    response = client_as(people["manager"]).post(reverse("duty-board"), {"date": "2026-03-01"})
    assert response.status_code == 302
    assert not Duty.objects.exists()
    assert "today and the coming days" in texts(response)[0]


def test_the_responsible_person_marks_the_duty_done_with_a_note(client_as, people, duty):
    page = client_as(people["a"])
    assert reverse("duty-action", args=[duty.pk, "done"]) in html(page.get(reverse("duty-board")))
    response = page.post(reverse("duty-action", args=[duty.pk, "done"]), {"note": "已开机"})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.status, duty.done_by, duty.note) == (DutyStatus.DONE, people["a"], "已开机")
    board = html(page.get(reverse("duty-board")))
    assert "duty-done" in board and "已开机" in board


def test_done_through_htmx_answers_the_list(client_as, people, duty):
    response = client_as(people["duty"]).post(reverse("duty-action", args=[duty.pk, "done"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert html(response).startswith('<div id="duty-list"')
    assert "is done" in html(response)


def test_someone_else_may_not_mark_it_done(client_as, people, duty):
    page = client_as(people["c"])
    assert reverse("duty-action", args=[duty.pk, "done"]) not in html(page.get(reverse("duty-board")))
    assert page.post(reverse("duty-action", args=[duty.pk, "done"])).status_code == 403
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


def test_marking_it_done_twice_says_so(client_as, people, duty):
    page = client_as(people["a"])
    page.post(reverse("duty-action", args=[duty.pk, "done"]), {"note": "first"})
    response = page.post(reverse("duty-action", args=[duty.pk, "done"]), {"note": "second"})
    assert response.status_code == 302
    assert "cannot be marked done" in texts(response)[-1]
    duty.refresh_from_db()
    assert duty.note == "first"


def test_the_board_links_my_secret_calendar(client_as, people):
    page = html(client_as(people["c"]).get(reverse("duty-board")))
    feed = CalendarFeed.objects.get(user=people["c"])
    assert reverse("calendar-feed", args=[feed.token]) in page


def test_a_person_gives_their_calendar_a_new_address_from_the_board(client_as, people):
    page = client_as(people["c"])
    assert reverse("calendar-rotate") in html(page.get(reverse("duty-board")))
    old = CalendarFeed.objects.get(user=people["c"]).token
    response = page.post(reverse("calendar-rotate"))
    assert response.url == reverse("duty-board")
    assert "new address" in texts(response)[0]
    new = CalendarFeed.objects.get(user=people["c"]).token
    assert new != old
    assert reverse("calendar-feed", args=[new]) in html(page.get(reverse("duty-board")))


def test_a_new_address_through_htmx_answers_the_calendar_pop_over(client_as, people):
    response = client_as(people["c"]).post(reverse("calendar-rotate"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = html(response)
    assert body.startswith('<div class="staff-pop-body" id="calendar-link">')
    assert reverse("calendar-feed", args=[CalendarFeed.objects.get(user=people["c"]).token]) in body
    assert "the old one no longer works" in body


def test_the_hall_manager_gives_a_members_calendar_a_new_address_from_the_roster(client_as, people):
    old = CalendarFeed.objects.create(user=people["a"]).token
    page = client_as(people["manager"])
    roster = html(page.get(reverse("roster-week"), {"week": "2026-W10"}))
    assert f'name="person" value="{people["a"].pk}"' in roster
    next_page = reverse("roster-week") + "?week=2026-W10"
    response = page.post(reverse("calendar-rotate"), {"person": people["a"].pk, "next": next_page})
    assert response.url == next_page
    assert "The calendar of ANNA has a new address" in texts(response)[0]
    assert CalendarFeed.objects.get(user=people["a"]).token != old
    assert people["a"].notifications.filter(kind="calendar_feed_rotated").exists()


def test_only_the_hall_manager_gives_someone_elses_calendar_a_new_address(client_as, people, stranger):
    old = CalendarFeed.objects.create(user=people["a"]).token
    assert 'name="person"' not in html(client_as(people["duty"]).get(reverse("roster-week")))
    for someone, answer in ((people["duty"], 403), (stranger, 404)):
        assert client_as(someone).post(reverse("calendar-rotate"), {"person": people["a"].pk}).status_code == answer
    assert CalendarFeed.objects.get(user=people["a"]).token == old


# AB roles


def test_the_ab_page_shows_each_chore_with_its_schedule_a_and_b(client_as, people, chore):
    page = html(client_as(people["duty"]).get(reverse("chore-list")))
    assert "开启排队机" in page and "Every day at 10:00" in page
    assert "ANNA" in page and "BERT" in page
    assert reverse("chore-action", args=[chore.pk, "assign"]) not in page


def test_the_ab_page_flags_an_inactive_person(client_as, people, chore):
    people["b"].is_active = False
    people["b"].save()
    page = html(client_as(people["manager"]).get(reverse("chore-list")))
    assert "chore-flagged" in page
    assert "B is inactive" in page


def test_the_hall_manager_changes_a_and_b(client_as, people, chore):
    data = {"a": people["b"].pk, "b": people["c"].pk}
    response = client_as(people["manager"]).post(reverse("chore-action", args=[chore.pk, "assign"]), data)
    assert response.status_code == 302
    chore.refresh_from_db()
    assert (chore.a, chore.b) == (people["b"], people["c"])


def test_a_and_b_must_be_two_people(client_as, people, chore):
    data = {"a": people["a"].pk, "b": people["a"].pk}
    response = client_as(people["manager"]).post(reverse("chore-action", args=[chore.pk, "assign"]), data)
    assert "B must be someone other than A" in texts(response)[0]
    chore.refresh_from_db()
    assert chore.b == people["b"]


def test_duty_managers_may_not_change_a_and_b(client_as, people, chore):
    data = {"a": people["b"].pk, "b": people["c"].pk}
    assert client_as(people["duty"]).post(reverse("chore-action", args=[chore.pk, "assign"]), data).status_code == 403
    chore.refresh_from_db()
    assert chore.a == people["a"]


def test_the_hall_manager_adds_a_weekly_chore(client_as, people):
    data = {"name": "消防检查", "a": people["a"].pk, "b": people["b"].pk, "schedule_kind": "weekly"}
    response = client_as(people["manager"]).post(reverse("chore-list"), {**data, "at": "16:00", "weekday": "4"})
    assert response.status_code == 302
    chore = Chore.objects.get(name="消防检查")
    assert (chore.schedule_kind, chore.weekday, chore.at) == ("weekly", 4, dt.time(16))


def test_the_hall_manager_adds_a_chore_due_on_working_days(client_as, people):
    data = {"name": "巡场 10:00", "a": people["duty"].pk, "b": people["manager"].pk, "schedule_kind": "workdays"}
    page = client_as(people["manager"])
    assert page.post(reverse("chore-list"), {**data, "at": "10:00"}).status_code == 302
    chore = Chore.objects.get(name="巡场 10:00")
    assert (chore.schedule_kind, chore.at) == ("workdays", dt.time(10))
    assert "Every working day at 10:00" in html(page.get(reverse("chore-list")))


def test_a_chore_without_its_time_is_not_added(client_as, people):
    data = {"name": "消防检查", "a": people["a"].pk, "b": people["b"].pk, "schedule_kind": "daily", "at": ""}
    response = client_as(people["manager"]).post(reverse("chore-list"), data)
    assert response.status_code == 200
    assert 'class="field-error"' in html(response)
    assert 'value="消防检查"' in html(response)
    assert not Chore.objects.exists()


def test_a_second_chore_of_the_same_name_is_refused(client_as, people, chore):
    data = {"name": chore.name, "a": people["a"].pk, "b": people["b"].pk, "schedule_kind": "closing"}
    response = client_as(people["manager"]).post(reverse("chore-list"), data)
    assert "already has a chore of that name" in texts(response)[0]
    assert Chore.objects.count() == 1


def test_duty_managers_may_not_add_chores(client_as, people):
    data = {"name": "x", "a": people["a"].pk, "b": people["b"].pk, "schedule_kind": "closing"}
    assert client_as(people["duty"]).post(reverse("chore-list"), data).status_code == 403
    assert not Chore.objects.exists()


# Roster week


def add_shift(page, person, **data):
    fields = {"staff": person.pk, "date": "2026-03-03", "start": "08:00", "end": "12:00", "week": "2026-W10"}
    return page.post(reverse("roster-action", args=["add"]), {**fields, **data})


def test_the_week_shows_shifts_leave_and_the_duty_manager(client_as, people, hall):
    roster_services.shift_create(
        hall=hall, staff=people["a"], date=MONDAY, start=dt.time(8), end=dt.time(12), post="3号窗口"
    )
    roster_services.roster_set_duty_manager(hall=hall, date=MONDAY, manager=people["duty"])
    on_leave(people["b"], people["manager"])
    page = html(client_as(people["c"]).get(reverse("roster-week"), {"week": "2026-W10"}))
    assert "08:00–12:00" in page and "3号窗口" in page
    assert "roster-cell is-leave" in page
    assert "DUTY" in page
    assert "Add a shift" not in page
    assert "?week=2026-W09" in page and "?week=2026-W11" in page


def test_an_administrator_of_the_hall_is_not_a_row_of_the_roster(client_as, people, hall):
    User.objects.create_superuser("root", password="pw12345678", hall=hall, name="ROOT")
    page = html(client_as(people["manager"]).get(reverse("roster-week"), {"week": "2026-W10"}))
    assert '<span class="roster-name">CLEO</span>' in page
    assert '<span class="roster-name">ROOT</span>' not in page


def test_a_bad_week_shows_this_week_and_says_so(client_as, people):
    response = client_as(people["c"]).get(reverse("roster-week"), {"week": "2026-W99"})
    assert response.status_code == 200
    assert "2026-W10" in html(response)
    assert len(texts(response)) == 1


def test_a_manager_adds_a_shift(client_as, people):
    response = add_shift(client_as(people["duty"]), people["a"], post="2号窗口")
    assert response.status_code == 302
    assert response.url == reverse("roster-week") + "?week=2026-W10"
    shift = Shift.objects.get()
    assert (shift.staff, shift.date, shift.post) == (people["a"], dt.date(2026, 3, 3), "2号窗口")


def test_an_overlapping_shift_shows_an_error_and_creates_nothing(client_as, people, hall):
    roster_services.shift_create(
        hall=hall, staff=people["a"], date=dt.date(2026, 3, 3), start=dt.time(8), end=dt.time(12)
    )
    response = add_shift(client_as(people["manager"]), people["a"], start="11:00", end="17:00")
    assert response.status_code == 302
    assert "already has a shift overlapping" in texts(response)[0]
    assert Shift.objects.count() == 1


def test_a_shift_without_times_is_refused(client_as, people):
    response = add_shift(client_as(people["manager"]), people["a"], start="", end="")
    assert "Choose a shift or give its start and end" in texts(response)[0]
    assert not Shift.objects.exists()


def test_clerks_may_not_change_the_roster(client_as, people):
    assert add_shift(client_as(people["a"]), people["a"]).status_code == 403
    assert not Shift.objects.exists()


def test_a_manager_removes_a_shift(client_as, people, hall):
    shift = roster_services.shift_create(hall=hall, staff=people["a"], date=MONDAY, start=dt.time(8), end=dt.time(12))
    page = client_as(people["manager"])
    response = page.post(reverse("roster-action", args=["remove"]), {"shift": shift.pk, "week": "2026-W10"})
    assert response.status_code == 302
    assert not Shift.objects.exists()


def test_the_hall_manager_sets_the_duty_manager_of_a_day(client_as, people, hall):
    data = {"date": "2026-03-04", "manager": people["duty"].pk, "week": "2026-W10"}
    assert client_as(people["duty"]).post(reverse("roster-action", args=["duty-manager"]), data).status_code == 403
    client_as(people["manager"]).post(reverse("roster-action", args=["duty-manager"]), data)
    assert DutyManagerDay.objects.get(hall=hall, date=dt.date(2026, 3, 4)).manager == people["duty"]


def test_the_hall_manager_clears_the_duty_manager_of_a_day(client_as, people, hall):
    roster_services.roster_set_duty_manager(hall=hall, date=dt.date(2026, 3, 4), manager=people["duty"])
    page = client_as(people["manager"])
    clear = reverse("roster-action", args=["duty-manager-clear"])
    assert f'formaction="{clear}"' in html(page.get(reverse("roster-week"), {"week": "2026-W10"}))
    response = page.post(clear, {"date": "2026-03-04", "week": "2026-W10"})
    assert response.url == reverse("roster-week") + "?week=2026-W10"
    assert "Nobody is named duty manager on 2026-03-04 now" in texts(response)[0]
    assert not DutyManagerDay.objects.exists()


def test_clearing_a_day_without_a_duty_manager_says_so(client_as, people):
    response = client_as(people["manager"]).post(
        reverse("roster-action", args=["duty-manager-clear"]), {"date": "2026-03-04"}
    )
    assert "Nobody is named duty manager on 2026-03-04." in texts(response)[0]


def test_only_the_hall_manager_clears_the_duty_manager(client_as, people, hall):
    roster_services.roster_set_duty_manager(hall=hall, date=dt.date(2026, 3, 4), manager=people["duty"])
    data = {"date": "2026-03-04", "week": "2026-W10"}
    page = client_as(people["duty"])
    assert "duty-manager-clear" not in html(page.get(reverse("roster-week"), {"week": "2026-W10"}))
    assert page.post(reverse("roster-action", args=["duty-manager-clear"]), data).status_code == 403
    assert DutyManagerDay.objects.exists()


def test_a_clerk_is_not_made_duty_manager(client_as, people, hall):
    data = {"date": "2026-03-04", "manager": people["a"].pk}
    response = client_as(people["manager"]).post(reverse("roster-action", args=["duty-manager"]), data)
    assert "Choose a manager" in texts(response)[0]
    assert not DutyManagerDay.objects.exists()


# Leave


def test_staff_ask_for_their_own_leave(client_as, people):
    data = {"start": "2026-03-05", "end": "2026-03-06", "reason": "事假"}
    response = client_as(people["a"]).post(reverse("leave-list"), data)
    assert response.status_code == 302
    leave = Leave.objects.get()
    assert (leave.staff, leave.status, leave.end) == (people["a"], "requested", dt.date(2026, 3, 6))
    assert "2026-03-05" in html(client_as(people["a"]).get(reverse("leave-list")))


def test_leave_that_ends_before_it_starts_is_refused(client_as, people):
    response = client_as(people["a"]).post(reverse("leave-list"), {"start": "2026-03-06", "end": "2026-03-05"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["The leave ends before it starts."]
    assert "ends before it starts" in html(response)
    assert not Leave.objects.exists()


def test_only_the_hall_manager_asks_leave_for_someone_else(client_as, people):
    data = {"staff": people["b"].pk, "start": "2026-03-05", "end": "2026-03-05"}
    assert client_as(people["a"]).post(reverse("leave-list"), data).status_code == 403
    client_as(people["manager"]).post(reverse("leave-list"), data)
    assert Leave.objects.get().staff == people["b"]


def test_the_hall_manager_sees_pending_leave_and_approves_it(client_as, people, duty):
    leave = roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY, reason="病假")
    page = client_as(people["manager"])
    assert "病假" in html(page.get(reverse("leave-list")))
    response = page.post(reverse("leave-action", args=[leave.pk, "approve"]), follow=True)
    leave.refresh_from_db()
    duty.refresh_from_db()
    assert leave.status == "approved"
    assert (duty.responsible, duty.role) == (people["b"], DutyRole.B)
    assert "leave-warnings" not in html(response)


def test_approving_leave_that_leaves_a_chore_uncovered_shows_the_warning(client_as, people, chore):
    on_leave(people["b"], people["manager"])
    leave = roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY)
    page = client_as(people["manager"])
    assert "Approving leaves without A or B" in html(page.get(reverse("leave-list")))
    response = page.post(reverse("leave-action", args=[leave.pk, "approve"]), follow=True)
    body = html(response)
    assert 'class="card leave-warnings"' in body
    assert "开启排队机" in body and "2026-03-02" in body


def test_the_hall_manager_rejects_leave_with_a_reason(client_as, people):
    leave = roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY)
    client_as(people["manager"]).post(reverse("leave-action", args=[leave.pk, "reject"]), {"note": "人手不足"})
    leave.refresh_from_db()
    assert leave.status == "rejected"
    assert people["a"].notifications.filter(kind="leave_rejected", body="人手不足").exists()


def test_deciding_twice_says_so(client_as, people):
    leave = roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY)
    page = client_as(people["manager"])
    page.post(reverse("leave-action", args=[leave.pk, "approve"]))
    response = page.post(reverse("leave-action", args=[leave.pk, "reject"]))
    assert response.status_code == 302
    assert "cannot be rejected" in texts(response)[-1]
    leave.refresh_from_db()
    assert leave.status == "approved"


def test_others_may_not_decide_on_leave(client_as, people):
    leave = roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY)
    assert client_as(people["duty"]).post(reverse("leave-action", args=[leave.pk, "approve"])).status_code == 403
    leave.refresh_from_db()
    assert leave.status == "requested"


def test_a_person_cancels_their_approved_leave_and_gets_the_duty_back(client_as, people, duty):
    leave = on_leave(people["a"], people["manager"])
    page = client_as(people["a"])
    cancel = reverse("leave-action", args=[leave.pk, "cancel"])
    assert cancel in html(page.get(reverse("leave-list")))
    response = page.post(cancel, {"note": "不用休了"})
    assert response.url == reverse("leave-list")
    assert "Your leave 2026-03-02 – 2026-03-02 is cancelled." in texts(response)[0]
    leave.refresh_from_db()
    duty.refresh_from_db()
    assert (leave.status, duty.responsible) == ("cancelled", people["a"])
    assert cancel not in html(page.get(reverse("leave-list")))


def test_a_leave_that_is_over_offers_no_cancelling_and_says_why(client_as, people, clock):
    leave = on_leave(people["a"], people["manager"])
    clock.shift(dt.timedelta(days=1))
    page = client_as(people["a"])
    cancel = reverse("leave-action", args=[leave.pk, "cancel"])
    assert cancel not in html(page.get(reverse("leave-list")))
    assert "is over and cannot be cancelled" in texts(page.post(cancel))[0]
    leave.refresh_from_db()
    assert leave.status == "approved"


def test_only_the_person_on_leave_cancels_it(client_as, people, stranger):
    leave = roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY)
    for someone, answer in ((people["manager"], 403), (people["b"], 403), (stranger, 404)):
        assert client_as(someone).post(reverse("leave-action", args=[leave.pk, "cancel"])).status_code == answer
    leave.refresh_from_db()
    assert leave.status == "requested"


# Handover


def test_the_handover_form_shows_the_open_items_first(client_as, people, duty):
    page = html(client_as(people["a"]).get(reverse("handover-list")))
    assert "Duty not done: 开启排队机" in page


def test_a_handover_is_written_and_the_incoming_person_acknowledges_it(client_as, people, duty):
    data = {"note": "3号窗口打印机缺纸", "incoming": people["b"].pk, "shift_end": "2026-03-02T12:00"}
    response = client_as(people["a"]).post(reverse("handover-list"), data)
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.author, handover.incoming) == (people["a"], people["b"])
    assert handover.open_items[0] == {"kind": "duty", "chore": "开启排队机"}
    assert handover.shift_end == dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.UTC)
    page = client_as(people["b"])
    assert "Waiting for you to take over" in html(page.get(reverse("handover-list")))
    page.post(reverse("handover-action", args=[handover.pk, "acknowledge"]))
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACKNOWLEDGED


def test_someone_else_may_not_acknowledge_it(client_as, people):
    handover = handover_services.handover_create(
        hall=people["a"].hall, author=people["a"], incoming=people["b"], shift_end=dt.datetime.now(dt.UTC)
    )
    page = client_as(people["c"])
    assert reverse("handover-action", args=[handover.pk, "acknowledge"]) not in html(page.get(reverse("handover-list")))
    assert page.post(reverse("handover-action", args=[handover.pk, "acknowledge"])).status_code == 403
    assert (
        client_as(people["duty"]).post(reverse("handover-action", args=[handover.pk, "acknowledge"])).status_code == 302
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACKNOWLEDGED


def test_a_handover_without_its_shift_end_is_not_saved(client_as, people):
    response = client_as(people["a"]).post(reverse("handover-list"), {"note": "x", "shift_end": "soon"})
    assert response.status_code == 200
    assert 'class="field-error"' in html(response)
    assert not Handover.objects.exists()
