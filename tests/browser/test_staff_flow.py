import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from hall.models import DutyManagerDay, Hall, User
from staff import roster_services
from staff.models import Chore, Duty, DutyRole, DutyStatus, Handover, HandoverStatus, Leave, LeaveStatus, Shift
from tests.browser.conftest import log_in, seed
from tests.factories import issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_is_on_leave_so_b_does_the_chore_and_the_rest_is_handed_over(live_server, new_page, shot):
    seed()
    url = live_server.url
    hall = Hall.objects.get(code="demo")
    today = hall.today()
    a, b, spare = (User.objects.get(username=name) for name in ("clerk1", "clerk2", "clerk3"))
    duty_manager = User.objects.get(username="duty")
    issue(hall, hall.business_types.get(code="A"))
    # Seeding marks the chores whose time has passed done; the manager's generating below brings this one back undone.
    Duty.objects.filter(hall=hall, date=today, chore__name="饮水机检查").delete()

    # The hall manager adds the chore with A and B, then gives B to someone else.
    manager = new_page(1440, 900)
    log_in(manager, url, "manager")
    manager.goto(f"{url}/chores/")
    form = manager.locator("#new-chore")
    form.locator("input[name='name']").fill("大堂消毒")
    form.locator("select[name='a']").select_option(str(a.pk))
    form.locator("select[name='b']").select_option(str(spare.pk))
    form.locator("select[name='schedule_kind']").select_option("closing")
    form.locator("textarea[name='checklist']").fill("门把手、填单台、座椅消毒")
    form.locator("button[type='submit']").click()
    expect(manager.locator(".message-success")).to_be_visible()
    chore = Chore.objects.get(name="大堂消毒")
    row = manager.locator(f"#chore-{chore.pk}")
    row.locator("select[name='b']").select_option(str(b.pk))
    row.locator("button[type='submit']").click()
    expect(manager.locator(".message-success")).to_contain_text(b.display_name)
    chore.refresh_from_db()
    assert (chore.a, chore.b) == (a, b)
    shot(manager, "staff_chore_list")

    # A asks for today off; the manager approves.
    clerk_a = new_page(1280, 800)
    log_in(clerk_a, url, "clerk1")
    clerk_a.goto(f"{url}/leave/")
    clerk_a.fill("#ask-leave input[name='start']", f"{today:%Y-%m-%d}")
    clerk_a.fill("#ask-leave input[name='end']", f"{today:%Y-%m-%d}")
    clerk_a.fill("#ask-leave input[name='reason']", "事假")
    clerk_a.click("#ask-leave button[type='submit']")
    expect(clerk_a.locator(".leave-status-requested")).to_be_visible()
    leave = Leave.objects.get(staff=a)
    manager.goto(f"{url}/leave/")
    manager.locator(f"#leave-{leave.pk} form[action$='/approve/'] button").click()
    expect(manager.locator(".message-success")).to_contain_text(a.display_name)
    expect(manager.locator(".leave-warnings")).to_have_count(0)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED

    # The manager generates today's duties: B has the chore, with the reason.
    manager.goto(f"{url}/duties/")
    manager.click(".duty-generate button")
    expect(manager.locator(".message-success")).to_be_visible()
    duty = Duty.objects.get(chore=chore, date=today)
    assert (duty.responsible, duty.role) == (b, DutyRole.B)
    row = manager.locator(f"#duty-{duty.pk}")
    expect(row.locator(".duty-role-B")).to_be_visible()
    expect(row.locator(".duty-person")).to_have_text(b.display_name)
    expect(row.locator(".duty-reason")).to_contain_text(a.display_name)
    shot(manager, "staff_duty_board")

    # B marks it done from the board.
    clerk_b = new_page(390, 844)
    log_in(clerk_b, url, "clerk2")
    clerk_b.goto(f"{url}/duties/")
    row = clerk_b.locator(f"#duty-{duty.pk}")
    expect(row.locator(".badge-you")).to_be_visible()
    row.locator("input[name='note']").fill("已开机，打印纸充足")
    row.locator("button[type='submit']").click()
    expect(clerk_b.locator(f"#duty-{duty.pk}.duty-done")).to_be_visible()
    expect(clerk_b.locator("#duty-list .message-info")).to_be_visible()
    shot(clerk_b, "staff_duty_board_phone")
    duty.refresh_from_db()
    assert (duty.status, duty.done_by, duty.note) == (DutyStatus.DONE, b, "已开机，打印纸充足")

    # B hands over to the duty manager: the waiting ticket and the other undone duty go with it.
    clerk_b.goto(f"{url}/handover/")
    preview = clerk_b.locator("#new-handover .handover-preview")
    expect(preview).to_contain_text("饮水机检查")
    expect(preview.locator(".open-item-tickets")).to_have_count(1)
    expect(preview).not_to_contain_text("大堂消毒")
    clerk_b.select_option("#new-handover select[name='incoming']", str(duty_manager.pk))
    clerk_b.fill("#new-handover textarea[name='note']", "饮水机还没检查")
    clerk_b.click("#new-handover button[type='submit']")
    expect(clerk_b.locator(".message-success")).to_be_visible()
    handover = Handover.objects.get()
    assert (handover.author, handover.incoming) == (b, duty_manager)
    chores = [item.get("chore") for item in handover.open_items]
    assert handover.open_items[0]["kind"] == "tickets"
    assert "饮水机检查" in chores
    assert "大堂消毒" not in chores

    incoming = new_page(1280, 800)
    log_in(incoming, url, "duty")
    incoming.goto(f"{url}/handover/")
    card = incoming.locator(f".handover-waiting #handover-{handover.pk}")
    expect(card).to_contain_text("饮水机还没检查")
    shot(incoming, "staff_handover")
    card.locator("form[action$='/acknowledge/'] button").click()
    expect(incoming.locator(f"#handover-{handover.pk} .handover-status-acknowledged")).to_be_visible()
    expect(incoming.locator(".handover-waiting")).to_have_count(0)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACKNOWLEDGED


def test_the_manager_rosters_next_week_and_an_overlap_is_refused(live_server, new_page, shot):
    seed()
    url = live_server.url
    hall = Hall.objects.get(code="demo")
    monday = hall.today() + dt.timedelta(days=7 - hall.today().weekday())
    wednesday = monday + dt.timedelta(days=2)
    year, week, _day = monday.isocalendar()
    clerk, boss = User.objects.get(username="clerk1"), User.objects.get(username="manager")
    away = User.objects.get(username="clerk4")
    roster_services.leave_approve(leave=roster_services.leave_request(staff=away, start=monday, end=monday), actor=boss)

    manager = new_page(1600, 1000)
    log_in(manager, url, "manager")
    manager.goto(f"{url}/roster/")
    manager.click("a[rel='next']")
    expect(manager.locator("h1")).to_contain_text(f"{year}-W{week:02d}")

    def cell(person, day):
        row = manager.locator("tr", has=manager.locator("th.roster-person", has_text=person.display_name))
        return row.locator("td.roster-cell").nth(day)

    expect(cell(away, 0)).to_have_class(re.compile("is-leave"))
    expect(cell(clerk, 2).locator(".shift")).to_contain_text("1号窗口")
    cell(clerk, 2).locator(".shift-remove button").click()
    expect(manager.locator(".message-success")).to_be_visible()
    assert not Shift.objects.filter(staff=clerk, date=wednesday).exists()

    def add(start, end, post):
        target = cell(clerk, 2)
        target.locator("summary").click()
        target.locator("input[name='start']").fill(start)
        target.locator("input[name='end']").fill(end)
        target.locator("input[name='post']").fill(post)
        target.locator(".shift-form button[type='submit']").click()

    add("13:00", "17:30", "2号窗口")
    expect(manager.locator(".message-success")).to_contain_text("13:00–17:30")
    expect(cell(clerk, 2).locator(".shift")).to_contain_text("13:00–17:30")
    add("16:00", "19:00", "3号窗口")
    expect(manager.locator(".message-error")).to_contain_text("16:00")
    assert Shift.objects.filter(staff=clerk, date=wednesday).count() == 1

    managers = manager.locator(".roster-managers td").nth(0)
    managers.locator("select").select_option(str(boss.pk))
    managers.locator("button.button-small").click()
    expect(manager.locator(".message-success")).to_contain_text(boss.display_name)
    expect(manager.locator(".roster-managers td").nth(0).locator("select")).to_have_value(str(boss.pk))
    assert DutyManagerDay.objects.get(hall=hall, date=monday).manager == boss
    shot(manager, "staff_roster_week")

    manager.locator(".roster-managers td").nth(0).locator(".roster-manager-clear").click()
    expect(manager.locator(".message-success")).to_be_visible()
    expect(manager.locator(".roster-managers td").nth(0).locator("select")).to_have_value("")
    assert not DutyManagerDay.objects.filter(hall=hall, date=monday).exists()
