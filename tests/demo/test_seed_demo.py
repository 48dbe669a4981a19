import datetime as dt
import io
import time
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from rest_framework.test import APIClient

from hall.models import DutyManagerDay, Hall, Notification, SlaClock, TimelineEvent, User
from hall.people import responsible_managers
from hall.sla import sla_sweep
from patrols.demo import PATROL_TIMES
from patrols.models import Category, PatrolTemplate
from staff import roster_services as staff_roster_services
from staff import services as staff_services
from staff.models import Chore, Duty, DutyRole, Shift, ShiftTemplate
from staff.schedules import schedule_text
from tickets.models import BusinessType, Counter, CounterService

DEMO_ACCOUNTS = {
    "manager": ["hall_manager"],
    "duty": ["duty_manager"],
    **{f"clerk{n}": ["clerk"] for n in range(1, 7)},
    **{f"worker{n}": ["repair_worker"] for n in range(1, 4)},
    "handler1": ["complaint_handler"],
    "handler2": ["complaint_handler"],
}
NORTH_ACCOUNTS = {
    "north_manager": ["hall_manager"],
    "north_clerk1": ["clerk"],
    "north_clerk2": ["clerk"],
    "north_worker1": ["repair_worker"],
}
TYPES = {"A": "缴费", "B": "业扩报装", "C": "变更过户", "D": "故障报修", "E": "投诉咨询"}
DEMO_CHORES = {
    "保安保洁检查": "daily 08:00",
    "营业厅电脑开机": "daily 08:10",
    "开启排队叫号系统": "daily 08:15",
    "自助打印机纸张检查": "daily 08:20",
    "演示设备开关": "daily 08:25",
    "宣传资料整理": "daily 08:30",
    "饮水机检查": "daily 08:30",
    "报刊架更新": "daily 09:00",
    "免填单申请处理": "daily 10:00",
    "业务公告归档": "weekly FRI 16:00",
    "海报更新": "monthly 09:00",
    "关闭排队叫号系统": "closing",
    "演示设备关闭": "closing",
    "闭店断电检查": "closing",
}
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def seeded(db):
    seed()
    return Hall.objects.get(code="demo"), Hall.objects.get(code="north")


def seed(**options):
    call_command("seed_demo", stdout=io.StringIO(), **options)


MODELS = (Hall, User, BusinessType, Counter, CounterService)
STAFF_MODELS = (Chore, ShiftTemplate, Shift, DutyManagerDay, Duty, SlaClock, TimelineEvent, Notification)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS + STAFF_MODELS} | {
        "memberships": User.groups.through.objects.count()
    }


def roster_days(hall):
    today = hall.today()
    return {today + dt.timedelta(days=n) for n in range(-7, 29)}


def login(username, password="demo12345"):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, (username, response.content)
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_seeding_twice_gives_the_same_data(seeded):
    before = counts()
    seed()
    assert counts() == before


def test_it_creates_the_two_halls_with_their_business_types(seeded):
    for hall in seeded:
        assert dict(hall.business_types.values_list("code", "name")) == TYPES


def test_the_demo_hall_has_counters_1_to_6_and_counter_6_serves_every_type(seeded):
    demo, _ = seeded
    assert list(demo.counters.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    six = demo.counters.get(number=6)
    assert sorted(six.business_types.values_list("code", flat=True)) == list("ABCDE")
    for counter in demo.counters.all():
        assert counter.business_types.exists()


def test_the_north_hall_has_counters_1_to_3(seeded):
    _, north = seeded
    assert list(north.counters.values_list("number", flat=True)) == [1, 2, 3]


def test_every_demo_account_belongs_to_its_hall_with_its_role(seeded):
    demo, north = seeded
    for accounts, hall in ((DEMO_ACCOUNTS, demo), (NORTH_ACCOUNTS, north)):
        for username, roles in accounts.items():
            user = User.objects.get(username=username)
            assert user.hall == hall, username
            assert set(roles) <= set(user.roles), username
            assert user.check_password("demo12345"), username


def test_admin_is_a_superuser(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("demo12345")


def test_a_given_password_is_used_for_every_account(seeded):
    seed(password="another-pass")
    assert User.objects.get(username="clerk3").check_password("another-pass")
    assert User.objects.get(username="north_worker1").check_password("another-pass")


def test_seeding_again_repairs_a_changed_account(seeded):
    User.objects.filter(username="clerk2").update(is_active=False)
    seed()
    assert User.objects.get(username="clerk2").is_active


def test_north_users_cannot_see_the_demo_hall(seeded):
    demo, north = seeded
    client = login("north_manager")

    assert [row["code"] for row in client.get("/api/halls/").json()["results"]] == ["north"]
    assert client.get(f"/api/halls/{demo.pk}/").status_code == 404
    assert client.get(f"/api/counters/?hall={demo.pk}").status_code == 404
    staff = {row["username"] for row in client.get("/api/staff/").json()["results"]}
    assert staff == set(NORTH_ACCOUNTS)
    demo_counter = demo.counters.get(number=1)
    assert login("north_clerk1").post(f"/api/counters/{demo_counter.pk}/open/").status_code == 404


def test_a_demo_clerk_can_work_the_queue_after_seeding(seeded):
    demo, _ = seeded
    counter = demo.counters.get(number=2)
    client = login("clerk2")

    assert client.post(f"/api/counters/{counter.pk}/open/").status_code == 200
    issued = APIClient().post("/api/tickets/", {"hall": demo.pk, "business_type": "B"}, format="json")
    assert issued.status_code == 201
    called = client.post(f"/api/counters/{counter.pk}/call-next/")
    assert called.status_code == 200
    assert called.json()["number"] == "B001"


# The staff side: chores, rosters, duties


def test_the_demo_hall_has_its_real_chores_with_a_and_b_two_different_demo_accounts(seeded):
    demo, _ = seeded
    chores = demo.chores.select_related("a", "b")

    patrols = {f"巡场 {at}": f"workdays {at}" for at in PATROL_TIMES}
    assert {chore.name: schedule_text(chore) for chore in chores} == DEMO_CHORES | patrols
    for chore in chores:
        assert chore.a != chore.b, chore.name
        assert chore.a.username in DEMO_ACCOUNTS and chore.b.username in DEMO_ACCOUNTS, chore.name
        assert chore.checklist, chore.name
    clerks = [chore for chore in chores if chore.a.username.startswith("clerk")]
    assert len(clerks) > len(DEMO_CHORES) * 3 / 4
    assert {(chore.a.username, chore.b.username) for chore in chores if chore.name in patrols} == {("duty", "manager")}


def test_the_demo_hall_has_a_patrol_standard_of_about_20_items_in_the_four_categories(seeded):
    demo, north = seeded
    template = PatrolTemplate.objects.get(hall=demo)
    items = list(template.items.all())
    assert 18 <= len(items) <= 25
    assert {item.category for item in items} == set(Category.values)
    assert all(item.standard and item.points > 0 for item in items)
    assert not PatrolTemplate.objects.filter(hall=north).exists()


def test_the_north_hall_has_chores_of_its_own_people(seeded):
    _, north = seeded
    chores = north.chores.select_related("a", "b")

    assert {"开启排队叫号系统", "关闭排队叫号系统", "闭店断电检查"} <= {chore.name for chore in chores}
    for chore in chores:
        assert chore.a != chore.b
        assert {chore.a.username, chore.b.username} <= set(NORTH_ACCOUNTS)


def test_each_hall_has_the_early_late_and_full_day_shift_templates(seeded):
    for hall in seeded:
        templates = {t.name: (t.start, t.end) for t in ShiftTemplate.objects.filter(hall=hall)}
        assert templates == {
            "早班": (dt.time(8), dt.time(12, 30)),
            "晚班": (dt.time(12, 30), dt.time(17, 30)),
            "全天": (dt.time(8, 30), dt.time(17, 30)),
        }


def test_every_demo_account_works_a_full_shift_every_day_from_last_week_to_four_weeks_ahead(seeded):
    for hall, accounts in zip(seeded, (DEMO_ACCOUNTS, NORTH_ACCOUNTS), strict=True):
        for username in accounts:
            shifts = Shift.objects.filter(staff__username=username).select_related("template")
            assert {shift.date for shift in shifts} == roster_days(hall), username
            for shift in shifts:
                assert shift.template.name == "全天"
                assert shift.start == dt.datetime.combine(shift.date, dt.time(8, 30), tzinfo=hall.tz)
                assert shift.end == dt.datetime.combine(shift.date, dt.time(17, 30), tzinfo=hall.tz)
    assert not Shift.objects.filter(staff__username="admin").exists()


def test_a_clerks_shift_is_at_their_counter(seeded):
    demo, north = seeded
    today = demo.today()

    assert Shift.objects.get(staff__username="clerk3", date=today).post == "3号窗口"
    assert Shift.objects.get(staff__username="north_clerk2", date=north.today()).post == "2号窗口"
    assert Shift.objects.get(staff__username="duty", date=today).post == ""


def test_duty_is_the_duty_manager_of_every_rostered_day_and_north_manager_of_the_north(seeded):
    demo, north = seeded
    for hall, manager in ((demo, "duty"), (north, "north_manager")):
        days = DutyManagerDay.objects.filter(hall=hall).select_related("manager")
        assert {day.date: day.manager.username for day in days} == dict.fromkeys(roster_days(hall), manager)
        assert [user.username for user in responsible_managers(hall)] == [manager]


def test_todays_duties_are_there_for_both_halls_each_with_its_a(seeded):
    for hall in seeded:
        duties = Duty.objects.filter(hall=hall, date=hall.today()).select_related("chore")
        assert duties.count() >= hall.chores.filter(schedule_kind="daily").count() > 0
        for duty in duties:
            assert (duty.responsible_id, duty.role) == (duty.chore.a_id, DutyRole.A)
            assert SlaClock.objects.filter(object_id=duty.pk, name="done").exists()


@pytest.mark.django_db
def test_the_weekly_and_monthly_chores_come_only_on_their_day():
    with time_machine.travel(dt.datetime(2026, 10, 8, 7, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        seed()  # Thursday, the first working day of October after the National Day week
        demo = Hall.objects.get(code="demo")
        traveller.move_to(dt.datetime(2026, 10, 9, 7, 0, tzinfo=SHANGHAI))
        seed()  # Friday
        traveller.move_to(dt.datetime(2026, 10, 11, 7, 0, tzinfo=SHANGHAI))
        seed()  # Sunday (Saturday 10-10 is worked to make up for the holiday)

    first = set(Duty.objects.filter(hall=demo, date=dt.date(2026, 10, 8)).values_list("chore__name", flat=True))
    friday = set(Duty.objects.filter(hall=demo, date=dt.date(2026, 10, 9)).values_list("chore__name", flat=True))
    sunday = set(Duty.objects.filter(hall=demo, date=dt.date(2026, 10, 11)).values_list("chore__name", flat=True))
    patrols = {f"巡场 {at}" for at in PATROL_TIMES}
    assert first == set(DEMO_CHORES) - {"业务公告归档"} | patrols
    assert friday == set(DEMO_CHORES) - {"海报更新"} | patrols
    assert sunday and not sunday & patrols


def test_the_demo_accounts_have_employee_numbers(seeded):
    numbers = dict(User.objects.exclude(username__in=["admin", "area"]).values_list("username", "employee_number"))

    assert numbers["manager"] == "D0001"
    assert numbers["north_manager"] == "N0001"
    assert len(set(numbers.values())) == len(numbers) == len(DEMO_ACCOUNTS) + len(NORTH_ACCOUNTS)
    assert all(numbers[username].startswith("D") for username in DEMO_ACCOUNTS)
    assert all(numbers[username].startswith("N") for username in NORTH_ACCOUNTS)


def test_seeding_again_keeps_what_the_hall_manager_changed(seeded):
    demo, _ = seeded
    manager, clerk3, clerk4 = (User.objects.get(username=name) for name in ("manager", "clerk3", "clerk4"))
    chore = demo.chores.get(name="开启排队叫号系统")
    staff_services.chore_assign(chore=chore, a=clerk3, b=clerk4, actor=manager)
    tomorrow = demo.today() + dt.timedelta(days=1)
    Shift.objects.filter(staff=clerk3, date=tomorrow).delete()
    early = ShiftTemplate.objects.get(hall=demo, name="早班")
    staff_roster_services.shift_create(
        hall=demo, staff=clerk3, date=tomorrow, start=early.start, end=early.end, template=early, actor=manager
    )
    staff_roster_services.roster_set_duty_manager(hall=demo, date=tomorrow, manager=manager, actor=manager)

    seed()

    chore.refresh_from_db()
    assert (chore.a, chore.b) == (clerk3, clerk4)
    assert [shift.template.name for shift in Shift.objects.filter(staff=clerk3, date=tomorrow)] == ["早班"]
    assert DutyManagerDay.objects.get(hall=demo, date=tomorrow).manager == manager


def test_seeding_is_quick(seeded):
    started = time.perf_counter()
    seed()
    assert time.perf_counter() - started < 5


# The first login


@pytest.mark.django_db
def test_the_chores_whose_time_has_passed_are_done_by_their_person_and_the_rest_wait():
    with time_machine.travel(dt.datetime(2026, 10, 8, 9, 30, tzinfo=SHANGHAI), tick=False):
        seed()
        duties = login("duty").get("/api/duties/", {"date": "2026-10-08"}).json()["results"]

    states = {duty["chore_name"]: duty["state"] for duty in duties}
    ahead = {"免填单申请处理", "关闭排队叫号系统", "演示设备关闭", "闭店断电检查", "巡场 10:00", "巡场 15:00"}
    every = set(DEMO_CHORES) - {"业务公告归档"} | {f"巡场 {at}" for at in PATROL_TIMES}
    assert states == {name: "open" if name in ahead else "done" for name in every}
    for duty in duties:
        if duty["state"] == "done":
            assert duty["done_by"] == duty["responsible"], duty["chore_name"]
            events = TimelineEvent.objects.filter(object_id=duty["id"], action="done")
            assert [(event.actor_id, event.to_status) for event in events] == [(duty["responsible"], "done")]


@pytest.mark.django_db
def test_the_first_login_finds_no_overdue_duty_and_the_sweep_sends_no_reminder_for_them():
    with time_machine.travel(dt.datetime(2026, 10, 8, 9, 30, tzinfo=SHANGHAI), tick=False) as traveller:
        seed()
        before = Notification.objects.count()
        traveller.move_to(dt.datetime(2026, 10, 8, 9, 45, tzinfo=SHANGHAI))
        sla_sweep()
        states = [duty["state"] for duty in login("duty").get("/api/duties/").json()["results"]]

    assert "overdue" not in states
    assert Notification.objects.count() == before
    running = SlaClock.objects.filter(name="done", stopped_at__isnull=True)
    assert (
        running.count() == Duty.objects.filter(status="open").count() == 4 + 2 + 2
    )  # the north hall: 2 closing; 2 patrols


@pytest.mark.django_db
def test_seeding_before_opening_leaves_every_duty_open():
    with time_machine.travel(dt.datetime(2026, 10, 8, 7, 0, tzinfo=SHANGHAI), tick=False):
        seed()

    assert not Duty.objects.exclude(status="open").exists()
