import datetime as dt
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments import demo as assessment_demo
from callbacks import demo as callbacks_demo
from complaints.models import Complaint
from demo import history
from feedback import demo as feedback_demo
from hall.models import DutyManagerDay, Hall, Role, User
from patrols import demo as patrols_demo
from repairs.models import RepairOrder
from reports import engine
from staff import services as staff_services
from staff.models import Duty, DutyStatus, Shift, ShiftTemplate
from tickets.models import BusinessType, Counter, CounterService, Ticket

BUSINESS_TYPES = [
    ("A", "缴费", "Payment", 3),
    ("B", "业扩报装", "New connection", 12),
    ("C", "变更过户", "Change and transfer", 8),
    ("D", "故障报修", "Repair report", 6),
    ("E", "投诉咨询", "Complaint and enquiry", 10),
]

# counter number -> the business types it serves; the first one weighs double (its main business).
DEMO_COUNTERS = {1: "A", 2: "AB", 3: "BC", 4: "CD", 5: "DE", 6: "ABCDE"}
NORTH_COUNTERS = {1: "AB", 2: "CD", 3: "ABCDE"}

DEMO_ACCOUNTS = [
    ("manager", "王经理", [Role.HALL_MANAGER]),
    ("duty", "李值班", [Role.DUTY_MANAGER]),
    *[(f"clerk{n}", f"营业员{n}", [Role.CLERK]) for n in range(1, 7)],
    *[(f"worker{n}", f"抢修员{n}", [Role.REPAIR_WORKER]) for n in range(1, 4)],
    ("handler1", "投诉专员1", [Role.COMPLAINT_HANDLER]),
    ("handler2", "投诉专员2", [Role.COMPLAINT_HANDLER]),
]
# Repair fault categories each demo worker takes; worker3 takes every fault.
WORKER_SKILLS = {"worker1": ["outage", "line"], "worker2": ["meter", "voltage", "equipment"], "worker3": []}

NORTH_ACCOUNTS = [
    ("north_manager", "北区经理", [Role.HALL_MANAGER, Role.DUTY_MANAGER]),
    ("north_clerk1", "北区营业员1", [Role.CLERK]),
    ("north_clerk2", "北区营业员2", [Role.CLERK]),
    ("north_worker1", "北区抢修员1", [Role.REPAIR_WORKER]),
]

SHIFT_TEMPLATES = [
    ("早班", dt.time(8, 0), dt.time(12, 30)),
    ("晚班", dt.time(12, 30), dt.time(17, 30)),
    ("全天", dt.time(8, 30), dt.time(17, 30)),
]
FULL_DAY = "全天"
ROSTER_DAYS_BACK, ROSTER_DAYS_AHEAD = 7, 28

# The hall's real list of chores: (name, schedule, A, B, checklist).
DEMO_CHORES = [
    ("保安保洁检查", "daily 08:00", "duty", "manager", "保安到岗、着装规范；大厅、卫生间清洁到位"),
    ("营业厅电脑开机", "daily 08:10", "clerk1", "clerk2", "柜台、填单台、查询机电脑开机并登录"),
    ("开启排队叫号系统", "daily 08:15", "clerk1", "clerk2", "打开叫号主机、取号机和显示屏，试叫一次并检查语音"),
    ("自助打印机纸张检查", "daily 08:20", "clerk3", "clerk4", "自助终端和取号机的打印纸充足，不足时更换纸卷"),
    ("演示设备开关", "daily 08:25", "clerk4", "clerk3", "智能电表、充电桩等演示设备开启并运行正常"),
    ("宣传资料整理", "daily 08:30", "clerk5", "clerk6", "宣传折页摆放整齐，缺少的补齐，过期的撤下"),
    ("饮水机检查", "daily 08:30", "clerk6", "clerk5", "饮水机通电、水量充足，一次性水杯已补充"),
    ("报刊架更新", "daily 09:00", "clerk5", "clerk3", "换上当天报纸，整理报刊架"),
    ("免填单申请处理", "daily 10:00", "clerk2", "clerk6", "处理线上提交的免填单申请，核对信息后预填业务单"),
    ("业务公告归档", "weekly FRI 16:00", "clerk3", "clerk1", "到期的业务公告撤下并归档，公告栏留存最新通知"),
    ("海报更新", "monthly 09:00", "clerk4", "clerk5", "按当月宣传计划更换海报和电子屏内容"),
    ("关闭排队叫号系统", "closing", "clerk1", "clerk2", "确认无人等候后关闭叫号主机、取号机和显示屏"),
    ("演示设备关闭", "closing", "clerk4", "clerk3", "演示设备逐一关闭"),
    ("闭店断电检查", "closing", "clerk6", "duty", "电脑、饮水机、演示设备、照明断电，门窗上锁"),
]
NORTH_CHORES = [
    ("营业厅电脑开机", "daily 08:10", "north_clerk2", "north_clerk1", "柜台和查询机电脑开机并登录"),
    ("开启排队叫号系统", "daily 08:15", "north_clerk1", "north_clerk2", "打开叫号主机、取号机和显示屏，试叫一次"),
    ("饮水机检查", "daily 08:30", "north_clerk2", "north_clerk1", "饮水机通电、水量充足，水杯已补充"),
    ("关闭排队叫号系统", "closing", "north_clerk1", "north_clerk2", "确认无人等候后关闭叫号系统"),
    ("闭店断电检查", "closing", "north_clerk2", "north_manager", "电脑、饮水机、照明断电，门窗上锁"),
]


# How busy each hall's history is: tickets, repair orders and complaints on an ordinary weekday.
DEMO_VOLUME = {"tickets_per_day": 240, "repairs_per_day": 4, "complaints_per_day": 0.6}
NORTH_VOLUME = {"tickets_per_day": 120, "repairs_per_day": 2, "complaints_per_day": 0.3}


HISTORY_COUNTS = [(Ticket, "tickets"), (RepairOrder, "repair orders"), (Complaint, "complaints"), (Duty, "duties")]


class Command(BaseCommand):
    help = "Creates (or brings up to date) the demo halls `demo` and `north` with their staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345")
        parser.add_argument(
            "--history-days",
            type=int,
            default=0,
            help="Also fill both halls with this many days of past queues, repairs, complaints and chores "
            "(days that already have them are left alone), then roll those days up for the reports.",
        )

    @transaction.atomic
    def handle(self, *args, password, history_days=0, **options):
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        demo = self.hall("demo", "示范营业厅", "人民路 1 号", DEMO_COUNTERS)
        north = self.hall("north", "北区营业厅", "北环路 88 号", NORTH_COUNTERS)
        accounts = [("admin", "管理员", demo, [], True, "")]
        accounts += [(u, n, demo, r, False, f"D{i:04}") for i, (u, n, r) in enumerate(DEMO_ACCOUNTS, 1)]
        accounts += [(u, n, north, r, False, f"N{i:04}") for i, (u, n, r) in enumerate(NORTH_ACCOUNTS, 1)]
        rows, users = [], {}
        for username, name, hall, roles, superuser, number in accounts:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "name": name,
                    "hall": hall,
                    "is_superuser": superuser,
                    "is_staff": superuser,
                    "is_active": True,
                    "skills": WORKER_SKILLS.get(username, []),
                    "employee_number": number,
                },
            )
            user.set_password(password)
            user.save()
            user.groups.set([groups[role] for role in roles])
            rows.append((username, hall.code, ", ".join(roles) or "superuser"))
            users[username] = user
            self.seat_clerk(user, hall)
        rows.append(self.area_manager(password, groups[Role.AREA_MANAGER], [demo, north]))
        patrols_demo.seed(demo)
        for hall, chores, staff, manager in (
            (demo, DEMO_CHORES, [u for u, _, _ in DEMO_ACCOUNTS], "duty"),
            (north, NORTH_CHORES, [u for u, _, _ in NORTH_ACCOUNTS], "north_manager"),
        ):
            self.staff_hall(hall, chores, [users[name] for name in staff], users[manager], users)
        if history_days > 0:
            self.history(
                [
                    (demo, DEMO_VOLUME, [users[name] for name, _, _ in DEMO_ACCOUNTS], users["duty"]),
                    (north, NORTH_VOLUME, [users[name] for name, _, _ in NORTH_ACCOUNTS], users["north_manager"]),
                ],
                history_days,
            )
        feedback_demo.seed(demo)
        assessment_demo.seed(demo)
        self.stdout.write("Demo accounts:")
        for username, hall_code, roles in rows:
            self.stdout.write(f"  {username:<15} password {password:<12} hall {hall_code:<6} {roles}")

    def area_manager(self, password, group, halls) -> tuple[str, str, str]:
        """`area`: the area manager (区域经理) who reads both halls' reports and belongs to neither."""
        user, _ = User.objects.update_or_create(
            username="area", defaults={"name": "区域经理", "hall": None, "is_active": True, "employee_number": "R0001"}
        )
        user.set_password(password)
        user.save()
        user.groups.set([group])
        user.areas.set(halls)
        return "area", ",".join(hall.code for hall in halls), Role.AREA_MANAGER

    def staff_hall(self, hall, chores, staff, duty_manager, users) -> None:
        """Chores with their A and B, shift templates, a full-day roster around today with its duty manager,
        and today's duties. What exists already (and whatever the hall manager changed) is left alone."""
        for name, schedule, a, b, checklist in chores:
            if not hall.chores.filter(name=name).exists():
                staff_services.chore_create(
                    hall=hall, name=name, a=users[a], b=users[b], schedule=schedule, checklist=checklist
                )
        for name, start, end in SHIFT_TEMPLATES:
            ShiftTemplate.objects.get_or_create(hall=hall, name=name, defaults={"start": start, "end": end})
        today = hall.today()
        days = [today + dt.timedelta(days=n) for n in range(-ROSTER_DAYS_BACK, ROSTER_DAYS_AHEAD + 1)]
        self.roster(hall, days, staff, ShiftTemplate.objects.get(hall=hall, name=FULL_DAY))
        rostered = set(DutyManagerDay.objects.filter(hall=hall, date__in=days).values_list("date", flat=True))
        DutyManagerDay.objects.bulk_create(
            [DutyManagerDay(hall=hall, date=day, manager=duty_manager) for day in days if day not in rostered],
            ignore_conflicts=True,
        )
        duties = staff_services.duties_generate(hall=hall, date=today)
        done = self.complete_past_duties(duties)
        self.stdout.write(
            f"{hall.code}: {len(chores)} chores, {len(days)} days rostered, {len(duties)} duties today"
            f" ({done} marked done now, their time having passed)"
        )

    def history(self, halls, days: int) -> None:
        """The halls' past `days` days before today (demo.history): the roster and duty manager of each day, then
        what happened, day by day; a day keeps whatever it already has of each kind. Then the days are rolled up."""
        began = time.monotonic()
        sink = history.OrmSink(timezone.now())
        written = {}
        for hall, volume, staff, duty_manager in halls:
            today = hall.today()
            past = [today - dt.timedelta(days=n) for n in range(days, 0, -1)]
            self.roster(hall, past, staff, ShiftTemplate.objects.get(hall=hall, name=FULL_DAY))
            DutyManagerDay.objects.bulk_create(
                [DutyManagerDay(hall=hall, date=day, manager=duty_manager) for day in past], ignore_conflicts=True
            )
            plan = history.plan_for(hall, sink=sink, **volume)
            done = history.days_with_history(hall, past[0], past[-1])
            for day in past:
                kinds = [kind for kind in history.KINDS if day not in done[kind]]
                history.day_history(plan, day, sink, kinds=kinds)
                if sink.pending() > 20000:
                    sink.flush()
            written[hall] = (past[0], past[-1])
        sink.finish()
        for hall, (first, last) in written.items():
            callbacks_demo.seed(hall)
            engine.rollup([hall], first, last)
        counts = ", ".join(f"{sink.counts[model]} {name}" for model, name in HISTORY_COUNTS)
        self.stdout.write(f"History of the last {days} days: {counts}, rolled up in {time.monotonic() - began:.0f} s")

    def complete_past_duties(self, duties) -> int:
        """The hall has been open since morning: whoever has each chore whose time has passed did it, so the
        first login finds only what is still ahead, not a page of overdue reminders."""
        now = timezone.now()
        past = [d for d in duties if d.status == DutyStatus.OPEN and d.due_at <= now and d.responsible_id]
        for duty in past:
            staff_services.duty_complete(duty=duty, actor=duty.responsible)
        return len(past)

    def roster(self, hall, days, staff, template) -> None:
        """Everyone on a full shift each day; a day someone already has a shift on keeps that shift."""
        taken = set(Shift.objects.filter(hall=hall, date__in=days).values_list("staff_id", "date"))
        shifts = [
            Shift(
                hall=hall,
                staff=person,
                date=day,
                start=dt.datetime.combine(day, template.start, tzinfo=hall.tz),
                end=dt.datetime.combine(day, template.end, tzinfo=hall.tz),
                post=f"{counter_of(person, hall)}号窗口" if counter_of(person, hall) else "",
                template=template,
            )
            for person in staff
            for day in days
            if (person.pk, day) not in taken
        ]
        # A shift added meanwhile that overlaps is the database's to refuse; the demo roster gives way to it.
        Shift.objects.bulk_create(shifts, ignore_conflicts=True)

    def seat_clerk(self, user, hall) -> None:
        """clerkN normally works counter N: their console opens there."""
        if number := counter_of(user, hall):
            Counter.objects.filter(hall=hall, number=number, clerk__isnull=True).update(clerk=user)

    def hall(self, code, name, address, counters) -> Hall:
        hall, _ = Hall.objects.get_or_create(code=code, defaults={"name": name, "address": address})
        types = {}
        for order, (letter, type_name, name_en, minutes) in enumerate(BUSINESS_TYPES):
            types[letter], _ = BusinessType.objects.get_or_create(
                hall=hall,
                code=letter,
                defaults={
                    "name": type_name,
                    "name_en": name_en,
                    "default_service_minutes": minutes,
                    "sort_order": order,
                },
            )
        for number, letters in counters.items():
            counter, _ = Counter.objects.get_or_create(hall=hall, number=number, defaults={"name": f"{number}号窗口"})
            for index, letter in enumerate(letters):
                CounterService.objects.get_or_create(
                    counter=counter,
                    business_type=types[letter],
                    defaults={"weight": 2 if index == 0 and len(letters) < len(BUSINESS_TYPES) else 1},
                )
        return hall


def counter_of(user, hall) -> int | None:
    """The counter a clerk normally works: N for clerkN (north_clerkN in the north hall)."""
    number = user.username.removeprefix(f"{hall.code}_").removeprefix("clerk")
    return int(number) if Role.CLERK in user.roles and number.isdigit() else None
