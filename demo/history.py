"""A believable past for a hall: the rows its services would have left day after day, written in bulk.

The walk-in queue of each day is simulated (arrivals on a weekday × hour curve with month-start billing peaks,
counters that open, pause for lunch and close, calls by the weighted oldest wait, recalls, no-shows, transfers,
pad ratings, the wait promised at issue), and so are repair orders and complaints from registration to close
with their SLA clocks, and the day's chores. Each record's rows — its fields, its TicketCall/TicketStint rows,
its clocks and its timeline events — are the ones the services write (tickets/services.py, repairs/services.py,
complaints/services.py, staff/services.py, hall/sla.py); what a step would do after `now` is not done, so
records still open are in the state they would be in now. Notifications are not written.

A `Sink` receives the rows as dicts of column values (by attname) with their ids already given: `OrmSink` writes
them with bulk_create (seed_demo, on any database), the reports benchmark with PostgreSQL's COPY.
"""

import datetime as dt
import math
import random
from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.functions import TruncDate
from django.urls import reverse

from complaints.models import Complaint
from hall import sla
from hall.models import (
    CalendarDay,
    CalendarDayKind,
    Customer,
    DailySequence,
    Hall,
    Role,
    SlaClock,
    SlaLevel,
    TimelineEvent,
    User,
)
from repairs.models import RepairOrder
from staff.models import Chore, Duty, DutyRole, DutyStatus
from staff.schedules import due_at, falls_on
from tickets.models import BusinessType, Counter, Rating, Ticket, TicketCall, TicketSequence, TicketStint
from tickets.selectors import SERVICE_TIME_MIN_SAMPLES, SERVICE_TIME_SAMPLE, wait_minutes

# The tables in the order they are written (a row's foreign keys point at rows of earlier tables or its own).
MODELS = [
    Customer,
    TicketSequence,
    DailySequence,
    Ticket,
    TicketCall,
    TicketStint,
    Rating,
    RepairOrder,
    Complaint,
    Duty,
    SlaClock,
    TimelineEvent,
]

# Arrivals per weekday (Monday first) relative to an ordinary day; Fridays and weekends are quieter.
WEEKDAY_FACTOR = [1.2, 1.05, 1.0, 1.0, 0.8, 0.6, 0.5]
# Arrivals per local half-hour (hour, half): the morning peak 9–11, the after-lunch peak 14–15.
HALF_HOUR_WEIGHT = {
    (8, 0): 0.3, (8, 1): 0.7, (9, 0): 1.3, (9, 1): 1.5, (10, 0): 1.6, (10, 1): 1.4, (11, 0): 1.1, (11, 1): 0.7,
    (12, 0): 0.45, (12, 1): 0.5, (13, 0): 0.6, (13, 1): 0.9, (14, 0): 1.2, (14, 1): 1.25, (15, 0): 1.1,
    (15, 1): 0.9, (16, 0): 0.7, (16, 1): 0.5, (17, 0): 0.25, (17, 1): 0.1,
}  # fmt: skip
# Share of the day's arrivals per business letter; payments (A) peak on the first five days of a month.
TYPE_SHARE = {"A": 0.45, "B": 0.1, "C": 0.15, "D": 0.13, "E": 0.17}
MONTH_START_DAYS, MONTH_START_FACTOR = 5, 1.9
NO_SHOW, RECALL, TRANSFER, CANCEL, RATED = 0.035, 0.07, 0.03, 0.01, 0.62
SCORES = ([5, 4, 3, 2, 1], [70, 21, 5, 2, 2])
SCORES_AFTER_LONG_WAIT = ([5, 4, 3, 2, 1], [40, 30, 15, 9, 6])
CALLBACK_SCORES = ([5, 4, 3, 2, 1], [62, 28, 5, 3, 2])
FOLLOW_UP_SCORES = ([5, 4, 3, 2, 1], [50, 33, 9, 5, 3])
FAULTS = (["outage", "line", "meter", "voltage", "equipment", "other"], [25, 20, 25, 12, 12, 6])
URGENCIES = ([1, 2, 3], [10, 30, 60])
CHANNELS = (["counter", "phone", "hotline", "web", "letter"], [50, 22, 15, 8, 5])
CATEGORIES = (
    ["billing", "service", "outage", "quality", "meter", "connection", "repair", "other"],
    [25, 18, 15, 8, 12, 8, 9, 5],
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕鹏辉丹萍鑫宇浩然子涵"
STREETS = ["人民路", "解放路", "中山路", "建设路", "北环路", "和平街", "新华路", "光明路", "文化路", "胜利街"]
ADVICE = "请先检查户内总开关是否跳闸，如无异常请保持电话畅通，抢修人员将尽快到达。"
COMPLETION = "已更换故障部件，恢复供电，现场试验正常。"
COMPLAINT = "客户反映办理业务时遇到的问题，要求尽快答复。"
RESOLUTION = "经核实情况属实，已向客户说明原因并完成整改，客户表示理解。"


KINDS = ("queue", "repairs", "complaints", "duties")


def days_with_history(hall: Hall, first: dt.date, last: dt.date) -> dict[str, set[dt.date]]:
    """The days first..last that already have each kind of record: a day's kind is generated only once."""
    tz = hall.tz
    local_day = lambda field: TruncDate(field, tzinfo=tz)  # noqa: E731
    span = (dt.datetime.combine(first, dt.time(), tzinfo=tz), dt.datetime.combine(last, dt.time.max, tzinfo=tz))
    return {
        "queue": set(
            Ticket.objects.filter(hall=hall, service_date__range=(first, last)).values_list("service_date", flat=True)
        ),
        "repairs": set(
            RepairOrder.objects.filter(hall=hall, created_at__range=span)
            .annotate(day=local_day("created_at"))
            .values_list("day", flat=True)
        ),
        "complaints": set(
            Complaint.objects.filter(hall=hall, created_at__range=span)
            .annotate(day=local_day("created_at"))
            .values_list("day", flat=True)
        ),
        # Duties are skipped one by one (a chore has one duty a day).
        "duties": set(),
    }


# Where the rows go


class Sink:
    """Collects rows per model, each a dict of column values by attname with its id given by `new_id`."""

    def __init__(self, now: dt.datetime, id_base: int | None = None):
        """`id_base`: the ids given start after it in every table, instead of after the table's highest id (for
        several writers at once, each with its own range)."""
        self.now = now
        self.id_base = id_base
        self.rows: dict[type[models.Model], list[dict]] = defaultdict(list)
        self.counts: dict[type[models.Model], int] = defaultdict(int)
        self._last_id: dict[type[models.Model], int] = {}
        self.content_types = {
            m: ContentType.objects.get_for_model(m).pk for m in (Ticket, Counter, RepairOrder, Complaint, Duty)
        }

    def new_id(self, model) -> int:
        if model not in self._last_id:
            last = self.id_base if self.id_base is not None else model.objects.aggregate(last=models.Max("pk"))["last"]
            self._last_id[model] = last or 0
        self._last_id[model] += 1
        return self._last_id[model]

    def add(self, model, **row) -> int:
        return self.put(model, row)["id"]

    def put(self, model, row: dict) -> dict:
        """Keeps `row` itself (later changes to it are written); keys that are no column are left out."""
        if "id" not in row:
            row["id"] = self.new_id(model)
        self.rows[model].append(row)
        return row

    def event(
        self, model, object_id, hall_id, action, at, actor=None, from_status="", to_status="", note="", data=None
    ):
        self.add(
            TimelineEvent,
            hall_id=hall_id,
            content_type_id=self.content_types[model],
            object_id=object_id,
            at=at,
            actor_id=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
            data=data or {},
        )

    def pending(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def flush(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Flushes what is left and moves each table's id sequence past the ids given here."""
        self.flush()
        reset_sequences(list(self._last_id))


def reset_sequences(tables: list[type[models.Model]]) -> None:
    """Moves each table's id sequence past its highest id (rows were written with their ids given)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)


class OrmSink(Sink):
    """bulk_create, with the ids, creation times and defaults the rows give (auto_now_add fields keep the
    historical time the row gives instead of now)."""

    def flush(self) -> None:
        for model in MODELS:
            rows = self.rows.pop(model, [])
            if not rows:
                continue
            self.counts[model] += len(rows)
            stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
            for f in stamped:
                f.auto_now_add = False
            try:
                columns = {f.attname for f in model._meta.concrete_fields}
                model.objects.bulk_create(
                    [model(**{k: v for k, v in row.items() if k in columns}) for row in rows], batch_size=2000
                )
            finally:
                for f in stamped:
                    f.auto_now_add = True


# What a hall is made of, read once


@dataclass
class CounterPlan:
    id: int
    number: int
    clerk_id: int
    weights: dict[int, int]  # business type id -> weight
    status: str = "closed"
    busy_until: dt.datetime | None = None
    pauses: list = field(default_factory=list)
    idle: bool = False


@dataclass
class HallPlan:
    hall: Hall
    types: dict[int, BusinessType]
    counters: list[CounterPlan]
    clerks: list[int]
    workers: list[tuple[int, list[str]]]
    desk: list[int]
    managers: list[int]
    chores: list[Chore]
    customers: list[dict]
    tickets_per_day: float
    repairs_per_day: float
    complaints_per_day: float
    holidays: set = field(default_factory=set)
    service_times: dict = field(default_factory=lambda: defaultdict(lambda: deque(maxlen=SERVICE_TIME_SAMPLE)))
    recent_repairs: deque = field(default_factory=deque)
    repair_link: str = ""
    complaint_link: str = ""


def plan_for(hall: Hall, *, tickets_per_day: float, repairs_per_day: float, complaints_per_day: float, sink: Sink,
             customers: int = 400) -> HallPlan:  # fmt: skip
    """The hall's types, counters with their clerks, people by what they do, chores and a pool of customers
    (created here when the hall has fewer than `customers`)."""
    staff = list(User.objects.filter(hall=hall, is_active=True).prefetch_related("groups").order_by("pk"))
    by_role = defaultdict(list)
    for person in staff:
        for role in person.roles:
            by_role[role].append(person)
    managers = [p.pk for p in by_role[Role.DUTY_MANAGER] + by_role[Role.HALL_MANAGER]]
    clerks = [p.pk for p in by_role[Role.CLERK]] or managers
    counters = []
    for number, counter in enumerate(hall.counters.prefetch_related("services").order_by("number")):
        clerk = counter.clerk_id or (clerks[number % len(clerks)] if number < len(clerks) else managers[0])
        weights = {s.business_type_id: s.weight for s in counter.services.all()}
        counters.append(CounterPlan(counter.pk, counter.number, clerk, weights))
    pool = list(Customer.objects.filter(hall=hall).order_by("pk").values("id", "name", "phone", "address",
                                                                        "key_customer", "elderly_alone"))  # fmt: skip
    rng = random.Random(f"{hall.code}:customers")
    for _ in range(len(pool), customers):
        row = {
            "id": sink.new_id(Customer),
            "hall_id": hall.pk,
            "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            "address": f"{rng.choice(STREETS)}{rng.randrange(1, 400)}号{rng.randrange(1, 12)}栋",
            "key_customer": rng.random() < 0.05,
            "elderly_alone": rng.random() < 0.04,
            "created_at": sink.now - dt.timedelta(days=400),
        }
        sink.add(Customer, **row)
        pool.append(row)
    holidays = set(CalendarDay.objects.filter(kind=CalendarDayKind.HOLIDAY).values_list("date", flat=True))
    return HallPlan(
        hall=hall,
        types={t.pk: t for t in hall.business_types.filter(is_active=True)},
        counters=counters,
        clerks=clerks,
        workers=[(p.pk, p.skills) for p in by_role[Role.REPAIR_WORKER]],
        desk=[p.pk for p in by_role[Role.COMPLAINT_HANDLER]] + clerks + managers,
        managers=managers,
        chores=list(hall.chores.filter(is_active=True).select_related("hall")),
        customers=pool,
        tickets_per_day=tickets_per_day,
        repairs_per_day=repairs_per_day,
        complaints_per_day=complaints_per_day,
        holidays=holidays,
        repair_link=reverse("repair-detail", args=[0]).replace("/0/", "/{}/"),
        complaint_link=reverse("complaint-detail", args=[0]).replace("/0/", "/{}/"),
    )


# Small helpers


def poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def choose(rng: random.Random, options) -> object:
    return rng.choices(options[0], options[1])[0]


def minutes(m: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(m * 60))


LEVELS = sorted(sla.LEVEL_SHARES.items())


def clock_row(sink, plan, model, object_id, name, label, params, link, responsible, start, due, stop) -> int:
    """An SlaClock as hall.sla leaves it: stopped (its level the one the sweep had reached by then) or running
    at the level the sweep has reached by now."""
    seen = stop or sink.now
    level = max((lvl for lvl, share in LEVELS if start + (due - start) * share <= seen), default=SlaLevel.RUNNING)
    following = [start + (due - start) * share for lvl, share in LEVELS if lvl == level + 1]
    return sink.add(
        SlaClock,
        hall_id=plan.hall.pk,
        content_type_id=sink.content_types[model],
        object_id=object_id,
        name=name,
        label=label[:100],
        label_params=params,
        link=link,
        responsible_id=responsible,
        started_at=start,
        due_at=due,
        stopped_at=stop,
        level=level,
        next_level_at=None if stop else (following[0] if following else None),
    )


# The history of one day


def day_history(plan: HallPlan, day: dt.date, sink: Sink, *, ticket_events: bool = True, kinds=None) -> None:
    """Everything of the hall's day `day` (before today): its queue, repair orders, complaints and duties.
    `kinds` limits it to some of "queue", "repairs", "complaints", "duties"; `ticket_events` False writes of a
    ticket's timeline only its transfers (what figures read), for very large histories."""
    kinds = KINDS if kinds is None else kinds
    if day in plan.holidays:
        return
    if "queue" in kinds:
        Queue(plan, day, sink, ticket_events).run()
    if "repairs" in kinds:
        repairs_of_day(plan, day, sink)
    if "complaints" in kinds:
        complaints_of_day(plan, day, sink)
    if "duties" in kinds:
        duties_of_day(plan, day, sink)


def arrival_times(rng, plan: HallPlan, day: dt.date, count: int) -> list[dt.datetime]:
    tz = plan.hall.tz
    opens = dt.datetime.combine(day, plan.hall.opens_at, tzinfo=tz)
    closes = dt.datetime.combine(day, plan.hall.closes_at, tzinfo=tz)
    slots, weights, slot = [], [], opens
    while slot < closes:
        slots.append(slot)
        weights.append(HALF_HOUR_WEIGHT.get((slot.hour, slot.minute // 30), 0.4))
        slot += dt.timedelta(minutes=30)
    chosen = rng.choices(slots, weights, k=count)
    times = [min(s + dt.timedelta(seconds=rng.randrange(1800)), closes - dt.timedelta(seconds=1)) for s in chosen]
    return sorted(times)


class Queue:
    """One day of the walk-in queue, simulated event by event."""

    def __init__(self, plan: HallPlan, day: dt.date, sink: Sink, ticket_events: bool):
        self.plan, self.day, self.sink, self.ticket_events = plan, day, sink, ticket_events
        self.hall = plan.hall
        self.rng = random.Random(f"{self.hall.code}:{day}:queue")
        tz = self.hall.tz
        self.opens = dt.datetime.combine(day, self.hall.opens_at, tzinfo=tz)
        self.closes = dt.datetime.combine(day, self.hall.closes_at, tzinfo=tz)
        self.waiting: dict[int, list] = defaultdict(list)  # business type id -> tickets by issue time
        self.events = []
        self.order = 0
        self.seq = defaultdict(int)
        self.pending_requeues = 0

    def push(self, at, kind, item) -> None:
        import heapq

        self.order += 1
        heapq.heappush(self.events, (at, self.order, kind, item))

    def run(self) -> None:
        import heapq

        rng, plan = self.rng, self.plan
        factor = WEEKDAY_FACTOR[self.day.weekday()] * rng.uniform(0.85, 1.15)
        by_letter = {t.code: t for t in plan.types.values()}
        for letter, share in TYPE_SHARE.items():
            if letter not in by_letter:
                continue
            mean = plan.tickets_per_day * share * factor
            if letter == "A" and self.day.day <= MONTH_START_DAYS:
                mean *= MONTH_START_FACTOR
            for at in arrival_times(rng, plan, self.day, poisson(rng, mean)):
                self.push(at, "arrive", by_letter[letter])
        self.plan_counters()
        while self.events:
            at, _, kind, item = heapq.heappop(self.events)
            getattr(self, kind)(at, item)
        for tickets in self.waiting.values():
            for ticket in tickets:  # left waiting when every counter closed: the nightly task cancels it
                self.end(ticket, self.closes.replace(hour=0, minute=0) + dt.timedelta(days=1, seconds=5), "expire")
        for type_id, last in self.seq.items():
            self.sink.add(TicketSequence, hall_id=self.hall.pk, business_type_id=type_id, service_date=self.day,
                          last=last)  # fmt: skip

    def plan_counters(self) -> None:
        rng, counters = self.rng, self.plan.counters
        working = counters
        if self.day.weekday() >= 5:
            # Weekends: half the counters, the ones serving most types first, so that every type is served.
            working, covered = [], set()
            for counter in sorted(counters, key=lambda c: (-len(c.weights), c.number)):
                if len(working) < max(2, math.ceil(len(counters) / 2)) or not counter.weights.keys() <= covered:
                    working.append(counter)
                    covered |= counter.weights.keys()
        for index, counter in enumerate(counters):
            counter.status, counter.busy_until, counter.idle, counter.pauses = "closed", None, False, []
            if counter not in working:
                continue
            opened = self.opens + dt.timedelta(seconds=rng.randrange(-300, 240))
            if rng.random() < 0.1:
                opened += dt.timedelta(minutes=rng.randrange(20, 60))  # opened late that day
            # Lunch, in turns so that half the counters stay open; sometimes a short break besides.
            lunch = self.opens.replace(hour=12 if index % 2 else 11, minute=45 if index % 2 else 30)
            counter.pauses.append((lunch + minutes(rng.uniform(0, 15)), minutes(rng.uniform(30, 50))))
            if rng.random() < 0.3:
                counter.pauses.append(
                    (self.opens.replace(hour=15) + minutes(rng.uniform(0, 60)), minutes(rng.uniform(5, 15)))
                )
            counter.pauses.sort()
            self.push(opened, "open", counter)

    # events

    def counter_event(self, counter, at, action, from_status, to_status, data=None) -> None:
        counter.status = to_status
        self.sink.event(Counter, counter.id, self.hall.pk, f"counter_{action}", at, counter.clerk_id, from_status,
                        to_status, data=data)  # fmt: skip

    def open(self, at, counter) -> None:
        self.counter_event(counter, at, "open", "closed", "open")
        self.free(at, counter)

    def arrive(self, at, business_type) -> None:
        rng, plan = self.rng, self.plan
        self.seq[business_type.pk] += 1
        seq = self.seq[business_type.pk]
        priority = "priority" if rng.random() < 0.05 else "normal"
        channel = rng.choices(["kiosk", "phone", "staff"], [85, 10, 5])[0]
        waiting = self.waiting[business_type.pk]
        ahead = sum(1 for t in waiting if priority == "normal" or t["priority"] == "priority")
        open_counters = sum(1 for c in plan.counters if c.status == "open" and business_type.pk in c.weights)
        times = plan.service_times[business_type.pk]
        service = (
            sum(times) / len(times) / 60
            if len(times) >= SERVICE_TIME_MIN_SAMPLES
            else float(business_type.default_service_minutes)
        )
        ticket = {
            "id": self.sink.new_id(Ticket),
            "hall_id": self.hall.pk,
            "business_type_id": business_type.pk,
            "issued_type_id": business_type.pk,
            "service_date": self.day,
            "seq": seq,
            "number": f"{business_type.code}{seq:03d}",
            "priority": priority,
            "status": "waiting",
            "channel": channel,
            "phone": rng.choice(plan.customers)["phone"] if channel == "phone" or rng.random() < 0.3 else "",
            "counter_id": None,
            "served_by_id": None,
            "position_at_issue": ahead,
            "predicted_wait_minutes": wait_minutes(ahead, service, open_counters),
            "recall_count": 0,
            "issued_at": at,
            "called_at": None,
            "started_at": None,
            "finished_at": None,
            "created_at": at,
            "leaves_at": at + minutes(rng.uniform(15, 60)) if rng.random() < CANCEL else None,
        }
        self.sink.put(Ticket, ticket)
        if self.ticket_events:
            actor = rng.choice(plan.clerks) if channel == "staff" else None
            self.sink.event(Ticket, ticket["id"], self.hall.pk, "issue", at, actor, "", "waiting",
                            data={"channel": channel})  # fmt: skip
        waiting.append(ticket)
        self.wake(at, business_type.pk)

    def requeue(self, at, ticket) -> None:
        self.pending_requeues -= 1
        waiting = self.waiting[ticket["business_type_id"]]
        waiting.append(ticket)
        waiting.sort(key=lambda t: (t["issued_at"], t["id"]))
        self.wake(at, ticket["business_type_id"])

    def wake(self, at, type_id) -> None:
        for counter in self.plan.counters:
            if counter.idle and type_id in counter.weights:
                counter.idle = False
                self.push(at, "free", counter)

    def free(self, at, counter) -> None:
        if counter.status == "closed" and counter.busy_until is not None:
            return
        if counter.busy_until is not None and at < counter.busy_until:
            return  # a stale wake-up: the counter is busy
        counter.idle = False
        if counter.status == "paused":
            self.counter_event(counter, at, "open", "paused", "open")
        if counter.pauses and counter.pauses[0][0] <= at:
            _start, length = counter.pauses.pop(0)
            self.counter_event(counter, at, "pause", "open", "paused")
            counter.busy_until = at + length
            self.push(counter.busy_until, "free", counter)
            return
        ticket = self.pick(counter, at)
        if ticket is None:
            # Two hours after closing whoever still waits for a type nobody serves is left to the nightly task.
            anyone_waiting = (any(self.waiting.values()) or self.pending_requeues) and at < self.closes + dt.timedelta(
                hours=2
            )
            others_open = [c for c in self.plan.counters if c is not counter and c.status != "closed"]
            if at >= self.closes and not anyone_waiting and (others_open or not self.busy(at)):
                close = at + dt.timedelta(seconds=self.rng.randrange(30, 300))
                self.counter_event(counter, close, "close", "open", "closed", data={"clerk": counter.clerk_id})
                counter.busy_until = close
                return
            counter.idle = True
            if counter.pauses:
                self.push(counter.pauses[0][0], "free", counter)
            self.push(max(self.closes, at + dt.timedelta(minutes=2)), "free", counter)
            return
        counter.busy_until = self.serve(counter, ticket, at)
        self.push(counter.busy_until, "free", counter)

    def busy(self, at) -> bool:
        return any(c.busy_until and c.busy_until > at and c.status == "open" for c in self.plan.counters)

    def pick(self, counter, at):
        """The oldest ticket across the counter's types, a waiting minute weighing the type's weight."""
        while True:
            best, best_score = None, None
            for type_id, weight in counter.weights.items():
                waiting = self.waiting.get(type_id)
                if waiting:
                    score = (at - waiting[0]["issued_at"]).total_seconds() * weight
                    if best_score is None or score > best_score:
                        best, best_score = type_id, score
            if best is None:
                return None
            ticket = self.waiting[best].pop(0)
            if ticket["leaves_at"] is not None and ticket["leaves_at"] < at and ticket["called_at"] is None:
                self.end(ticket, ticket["leaves_at"], "cancel", actor=counter.clerk_id)
                continue
            return ticket

    def event(self, ticket, action, at, actor, from_status, to_status, data=None, note="") -> None:
        if self.ticket_events or action == "transfer":
            self.sink.event(Ticket, ticket["id"], self.hall.pk, action, at, actor, from_status, to_status, note, data)

    def end(self, ticket, at, action, actor=None) -> None:
        from_status = ticket["status"]
        ticket["status"] = "cancelled"
        ticket["finished_at"] = at
        note = "Still open at the end of the day." if action == "expire" else ""
        self.event(ticket, action, at, actor, from_status, "cancelled", note=note)

    def serve(self, counter, ticket, at) -> dt.datetime:
        """Calls the ticket at `at` and plays its visit at the counter; returns when the counter is free again."""
        rng, sink = self.rng, self.sink
        clerk, hall_id = counter.clerk_id, self.hall.pk
        ticket.update(status="called", counter_id=counter.id, served_by_id=clerk)
        ticket["called_at"] = ticket["called_at"] or at
        sink.add(TicketCall, hall_id=hall_id, ticket_id=ticket["id"], counter_id=counter.id, at=at, is_recall=False)
        self.event(ticket, "call", at, clerk, "waiting", "called", data={"counter": counter.number})
        now = at
        recalls = 2 if rng.random() < NO_SHOW else (1 if rng.random() < RECALL else 0)
        for _ in range(recalls):
            now += dt.timedelta(seconds=rng.randrange(45, 100))
            ticket["recall_count"] += 1
            sink.add(TicketCall, hall_id=hall_id, ticket_id=ticket["id"], counter_id=counter.id, at=now,
                     is_recall=True)  # fmt: skip
            self.event(ticket, "recall", now, clerk, "called", "called")
        if recalls == 2:
            now += dt.timedelta(seconds=rng.randrange(45, 100))
            ticket.update(status="no_show", finished_at=now)
            self.event(ticket, "no_show", now, clerk, "called", "no_show")
            return now + dt.timedelta(seconds=rng.randrange(5, 30))
        now += dt.timedelta(seconds=rng.randrange(15, 90))
        started = now
        ticket.update(status="serving", started_at=started)
        self.event(ticket, "start", now, clerk, "called", "serving")
        business_type = self.plan.types[ticket["business_type_id"]]
        mean = business_type.default_service_minutes * rng.uniform(0.8, 1.2)
        length = min(60.0, max(0.5, rng.lognormvariate(math.log(mean) - 0.08, 0.4)))
        now += minutes(length)
        stint = {"hall_id": hall_id, "ticket_id": ticket["id"], "service_date": self.day,
                 "business_type_id": business_type.pk, "counter_id": counter.id, "clerk_id": clerk,
                 "started_at": started, "ended_at": now}  # fmt: skip
        if ticket["issued_type_id"] == ticket["business_type_id"] and rng.random() < TRANSFER:
            target = rng.choice([t for t in self.plan.types if t != business_type.pk] or [business_type.pk])
            sink.add(TicketStint, **stint, transferred=True)
            ticket.update(status="waiting", business_type_id=target, counter_id=None, started_at=None,
                          recall_count=0)  # fmt: skip
            data = {"business_type": self.plan.types[target].code, "counter": None, "clerk": None}
            self.event(ticket, "transfer", now, clerk, "serving", "waiting", data=data)
            self.pending_requeues += 1
            self.push(now, "requeue", ticket)
            return now + dt.timedelta(seconds=rng.randrange(10, 40))
        sink.add(TicketStint, **stint, transferred=False)
        ticket.update(status="done", finished_at=now)
        self.event(ticket, "finish", now, clerk, "serving", "done")
        self.plan.service_times[business_type.pk].append((now - started).total_seconds())
        if rng.random() < RATED:
            waited = (ticket["called_at"] - ticket["issued_at"]).total_seconds() / 60
            score = choose(rng, SCORES_AFTER_LONG_WAIT if waited > 30 else SCORES)
            rated = now + dt.timedelta(seconds=rng.randrange(5, 60))
            sink.add(Rating, ticket_id=ticket["id"], score=score, comment="", created_at=rated)
            self.event(ticket, "rate", rated, None, "", "", data={"score": score})
        return now + dt.timedelta(seconds=rng.randrange(10, 50))


def working_time(rng, plan: HallPlan, day: dt.date) -> dt.datetime:
    return arrival_times(rng, plan, day, 1)[0]


class Steps:
    """A record's steps in time order, cut at now: a step planned after now is not taken, except one that
    stops a clock already past its deadline, taken just before now (late), so no clock of the history is left
    overdue to fire on the first morning of the demo."""

    def __init__(self, now, start):
        self.now, self.last = now, start

    def at(self, planned: dt.datetime, deadline: dt.datetime | None = None) -> dt.datetime | None:
        planned = max(planned, self.last + dt.timedelta(seconds=30))
        if planned > self.now:
            if deadline is None or deadline > self.now:
                return None
            planned = max(self.last + dt.timedelta(seconds=30), self.now - dt.timedelta(minutes=5))
            if planned > self.now:
                return None
        self.last = planned
        return planned


def repairs_of_day(plan: HallPlan, day: dt.date, sink: Sink) -> None:
    rng = random.Random(f"{plan.hall.code}:{day}:repairs")
    mean = plan.repairs_per_day * (0.6 if day.weekday() >= 5 else 1.0)
    registered = sorted(working_time(rng, plan, day) for _ in range(poisson(rng, mean)))
    for number, t0 in enumerate(registered, 1):
        one_repair(plan, day, sink, rng, number, t0)
    if registered:
        sink.add(DailySequence, hall_id=plan.hall.pk, kind="repair", day=day, last=len(registered))


def one_repair(plan, day, sink, rng, seq, t0) -> None:
    hall, now = plan.hall, sink.now
    customer = rng.choice(plan.customers)
    repair_id = sink.new_id(RepairOrder)
    number = f"BX{day:%Y%m%d}-{seq:04d}"
    link = plan.repair_link.format(repair_id)
    urgency = choose(rng, URGENCIES)
    fault = choose(rng, FAULTS)
    key = customer["key_customer"] or rng.random() < 0.03
    clerk = rng.choice(plan.clerks)
    # A report from the same phone or address within 7 days is linked to the latest one.
    while plan.recent_repairs and plan.recent_repairs[0][0] < t0 - dt.timedelta(days=7):
        plan.recent_repairs.popleft()
    repeat = next(
        (r for r in reversed(plan.recent_repairs) if r[1] == customer["phone"] or r[2] == customer["address"]), None
    )
    plan.recent_repairs.append((t0, customer["phone"], customer["address"], repair_id, number))
    skilled = [w for w, skills in plan.workers if not skills or fault in skills] or [w for w, _ in plan.workers]
    worker = rng.choice(skilled) if skilled else None
    policy = sla.policies_for(hall, [f"repair-respond-{urgency}", "repair-callback"])
    label_params = {"number": number}
    row = {
        "id": repair_id, "hall_id": hall.pk, "number": number, "customer_id": customer["id"],
        "customer_name": customer["name"], "phone": customer["phone"], "address": customer["address"],
        "fault": fault, "description": "客户来电报修，请尽快处理。",
        "urgency": urgency, "key_customer": key, "status": "registered", "repeat_of_id": repeat[3] if repeat else None,
        "advice": "", "worker_id": None, "registered_by_id": clerk, "completion_notes": "", "callback_notes": "",
        "respond_by": None, "callback_by": None, "dispatched_at": None, "arrived_at": None, "completed_at": None,
        "created_at": t0, "satisfaction": None, "followed_up_at": None, "closed_at": None, "next_due_at": None,
    }  # fmt: skip
    running = {}
    event = lambda *a, **k: sink.event(RepairOrder, repair_id, hall.pk, *a, **k)  # noqa: E731

    def start_respond(at, responsible):
        due = sla.deadline(start=at, policy=policy[f"repair-respond-{urgency}"], urgent=key, hall=hall)
        running["respond"] = (at, due, responsible)
        row["respond_by"] = due
        return due

    def stop(name, at, responsible=None):
        start, due, owner = running.pop(name)
        clock_row(sink, plan, RepairOrder, repair_id, name,
                  "Repair %(number)s: on site" if name == "respond" else "Repair %(number)s: call back",
                  label_params, link, responsible or owner, start, due, at)  # fmt: skip

    steps = Steps(now, t0)
    respond_due = start_respond(t0, None)
    event("register", t0, clerk, "", "registered",
          data={"urgency": urgency, "repeat_of": repeat[4] if repeat else None})  # fmt: skip
    try:
        status = "registered"
        if rng.random() < 0.4:
            at = steps.at(t0 + minutes(rng.uniform(2, 10)))
            if at is None:
                return
            row["advice"] = ADVICE
            event("diagnose", at, clerk, status, "diagnosed", note=ADVICE)
            status = "diagnosed"
        at = steps.at(t0 + minutes(rng.uniform(3, 20)), respond_due)
        if at is None or worker is None:
            return
        row.update(worker_id=worker, dispatched_at=at, status="dispatched")
        event("dispatch", at, clerk, status, "dispatched", data={"from_worker": None, "worker": worker})
        running["respond"] = (*running["respond"][:2], worker)
        for visit in range(2):
            window = (respond_due - at).total_seconds() / 60
            if rng.random() < 0.93:
                planned = at + minutes(rng.uniform(0.15, 0.95) * window)
            else:
                planned = respond_due + minutes(rng.uniform(5, 120))
            arrived = steps.at(planned, respond_due)
            if arrived is None:
                return
            stop("respond", arrived)
            row.update(arrived_at=arrived, status="on_site")
            event("arrive", arrived, worker, "dispatched", "on_site")
            done = steps.at(arrived + minutes(rng.uniform(20, 150)))
            if done is None:
                return
            callback_due = sla.deadline(start=done, policy=policy["repair-callback"], urgent=key, hall=hall)
            running["callback"] = (done, callback_due, clerk)
            row.update(completed_at=done, completion_notes=COMPLETION, callback_by=callback_due, status="completed")
            event("complete", done, worker, "on_site", "completed", note=COMPLETION, data={"photos": 0})
            late = rng.random() < 0.08
            wait = minutes(24 * 60 + rng.uniform(30, 1200)) if late else minutes(rng.uniform(60, 1300))
            planned = done + wait
            called = steps.at(planned, callback_due)
            if called is None:
                return
            score = choose(rng, CALLBACK_SCORES) if visit == 0 else rng.choice((4, 5))
            stop("callback", called)
            row.update(satisfaction=score, callback_notes="")
            if score >= 4:
                row.update(followed_up_at=called, status="followed_up")
                event("callback", called, clerk, "completed", "followed_up", data={"satisfaction": score})
                break
            row.update(arrived_at=None, completed_at=None, status="dispatched")
            respond_due = start_respond(called, worker)
            event("reopen", called, clerk, "completed", "dispatched", data={"satisfaction": score})
            at = called
        closed = steps.at(called + minutes(rng.uniform(10, 600)))
        if closed is not None:
            row.update(closed_at=closed, status="closed")
            event("close", closed, rng.choice(plan.managers or plan.clerks), "followed_up", "closed")
    finally:
        for name, (start, due, responsible) in list(running.items()):
            clock_row(sink, plan, RepairOrder, repair_id, name,
                      "Repair %(number)s: on site" if name == "respond" else "Repair %(number)s: call back",
                      label_params, link, responsible, start, due, None)  # fmt: skip
        row["next_due_at"] = min((due for _, due, _ in running.values()), default=None)
        sink.add(RepairOrder, **row)


COMPLAINT_CLOCKS = {
    "first_contact": ("complaint-first-contact", "first_contact_due", "first contact"),
    "progress": ("complaint-progress", "progress_due", "progress report"),
    "result": ("complaint-result", "result_due", "result"),
    "follow_up": ("complaint-follow-up", "follow_up_due", "follow-up"),
}


def complaints_of_day(plan: HallPlan, day: dt.date, sink: Sink) -> None:
    rng = random.Random(f"{plan.hall.code}:{day}:complaints")
    mean = plan.complaints_per_day * (0.6 if day.weekday() >= 5 else 1.0)
    accepted = sorted(working_time(rng, plan, day) for _ in range(poisson(rng, mean)))
    for number, t0 in enumerate(accepted, 1):
        one_complaint(plan, day, sink, rng, number, t0)
    if accepted:
        sink.add(DailySequence, hall_id=plan.hall.pk, kind="complaint", day=day, last=len(accepted))


def one_complaint(plan, day, sink, rng, seq, t0) -> None:
    hall, now = plan.hall, sink.now
    # A few customers complain again and again (repeat complainants).
    pool = plan.customers[:12] if rng.random() < 0.25 else plan.customers
    customer = rng.choice(pool)
    complaint_id = sink.new_id(Complaint)
    number = f"TS{day:%Y%m%d}-{seq:04d}"
    link = plan.complaint_link.format(complaint_id)
    channel = choose(rng, CHANNELS)
    taker = None if channel == "web" else rng.choice(plan.desk)
    owner = taker or plan.managers[0]
    loss = rng.random() < 0.1
    urgent = loss or customer["key_customer"] or customer["elderly_alone"]
    policies = sla.policies_for(hall, [key for key, _, _ in COMPLAINT_CLOCKS.values()])
    row = {
        "id": complaint_id, "hall_id": hall.pk, "number": number, "customer_id": customer["id"],
        "customer_name": customer["name"], "phone": customer["phone"], "address": customer["address"],
        "channel": channel, "category": choose(rng, CATEGORIES), "description": COMPLAINT,
        "ongoing_loss": loss, "urgent": urgent, "status": "accepted", "owner_id": owner, "accepted_by_id": taker,
        "group_id": None, "resolution": "", "customer_confirmed": False, "follow_up_note": "", "reopen_count": 0,
        "first_contact_due": None, "progress_due": None, "result_due": None, "follow_up_due": None,
        "first_contact_at": None, "resolved_at": None, "created_at": t0, "satisfaction": None,
        "followed_up_at": None, "closed_at": None, "next_due_at": None,
    }  # fmt: skip
    running = {}
    event = lambda *a, **k: sink.event(Complaint, complaint_id, hall.pk, *a, **k)  # noqa: E731
    label = "Complaint %(number)s: %(step_text)s"

    def start(at, *names):
        for name in names:
            key, column, text = COMPLAINT_CLOCKS[name]
            due = sla.deadline(start=at, policy=policies[key], urgent=urgent, hall=hall)
            running[name] = [at, due, {"number": number, "step_text": text}]
            row[column] = due

    def stop(at, *names):
        for name in names:
            if name in running:
                begun, due, params = running.pop(name)
                clock_row(
                    sink, plan, Complaint, complaint_id, name, label, params, link, row["owner_id"], begun, due, at
                )

    def on_time(name, early, late):
        """When the step that stops clock `name` is taken: mostly within its window, sometimes after it."""
        begun, due = running[name][0], running[name][1]
        if rng.random() < late:
            return due + minutes(rng.uniform(10, 60 * 30)), due
        return begun + (due - begun) * rng.uniform(*early), due

    start(t0, "first_contact", "progress", "result")
    event("accept", t0, taker, "", "accepted", data={"channel": channel, "owner": owner, "urgent": urgent})
    steps = Steps(now, t0)
    status = "accepted"
    try:
        if rng.random() < 0.05:
            at = steps.at(t0 + minutes(rng.uniform(10, 60)), running["first_contact"][1])
            if at is None:
                return
            to = rng.choice([p for p in plan.desk if p != owner] or [owner])
            event("hand_over", at, owner, status, status, note="转交专人处理", data={"from": owner, "to": to})
            row["owner_id"] = to
        planned, due = on_time("first_contact", (0.1, 0.9), 0.1)
        at = steps.at(planned, due)
        if at is None:
            return
        stop(at, "first_contact")
        row.update(first_contact_at=at, status="investigating")
        event("investigate", at, row["owner_id"], status, "investigating", note="已联系客户了解情况。",
              data={"files": 0})  # fmt: skip
        status = "investigating"
        for round_ in range(2):
            planned, due = on_time("progress", (0.2, 0.9), 0.12)
            at = steps.at(planned, due)
            if at is None:
                return
            stop(at, "first_contact", "progress")
            event("progress", at, row["owner_id"], status, status, note="已向客户通报处理进度。")
            planned, due = on_time("result", (0.25, 0.85), 0.1)
            at = steps.at(planned, due)
            if at is None:
                return
            stop(at, "first_contact", "progress", "result")
            row.update(resolution=RESOLUTION, customer_confirmed=rng.random() < 0.8, resolved_at=at, status="resolved")
            row["first_contact_at"] = row["first_contact_at"] or at
            start(at, "follow_up")
            event("resolve", at, row["owner_id"], status, "resolved", note=RESOLUTION)
            planned, due = on_time("follow_up", (0.1, 0.9), 0.1)
            at = steps.at(planned, due)
            if at is None:
                return
            score = choose(rng, FOLLOW_UP_SCORES) if round_ == 0 else rng.choice((4, 5))
            stop(at, "follow_up")
            row.update(
                satisfaction=score, follow_up_note="客户对处理结果表示认可。" if score >= 4 else "客户仍不满意。"
            )
            if score >= 4:
                row.update(followed_up_at=at, status="followed_up")
                event("follow_up", at, row["owner_id"], "resolved", "followed_up", note=row["follow_up_note"],
                      data={"satisfaction": score})  # fmt: skip
                break
            row.update(reopen_count=row["reopen_count"] + 1, resolved_at=None, status="investigating")
            start(at, "progress", "result")
            event("follow_up_unsatisfied", at, row["owner_id"], "resolved", "investigating",
                  note=row["follow_up_note"], data={"satisfaction": score})  # fmt: skip
            status = "investigating"
        closed = steps.at(at + minutes(rng.uniform(30, 2000)))
        if closed is not None:
            row.update(closed_at=closed, status="closed")
            event("close", closed, row["owner_id"], "followed_up", "closed")
    finally:
        for name, (begun, due, params) in list(running.items()):
            clock_row(sink, plan, Complaint, complaint_id, name, label, params, link, row["owner_id"], begun, due, None)
        row["next_due_at"] = min((due for _, due, _ in running.values()), default=None)
        sink.add(Complaint, **row)


def duties_of_day(plan: HallPlan, day: dt.date, sink: Sink) -> None:
    rng = random.Random(f"{plan.hall.code}:{day}:duties")
    hall, tz = plan.hall, plan.hall.tz
    done_policy = sla.policies_for(hall, ["duty-done"])["duty-done"]
    link = reverse("duty-board") + f"?date={day:%Y-%m-%d}"
    generated = dt.datetime.combine(day, dt.time(0, 5), tzinfo=tz)
    taken = set(Duty.objects.filter(hall=hall, date=day).values_list("chore_id", flat=True))
    for chore in plan.chores:
        if chore.pk in taken or not falls_on(chore, day):
            continue
        due = due_at(chore, day)
        grace = sla.deadline(start=due, policy=done_policy, urgent=False, hall=hall)
        # Mostly done before its time; some after it but within the grace window, a few after that too.
        late = rng.random()
        done = due + minutes(
            rng.uniform(-25, 0) if late < 0.88 else rng.uniform(2, 28) if late < 0.95 else rng.uniform(35, 180)
        )
        done = min(done, sink.now - dt.timedelta(minutes=1))
        duty_id = sink.add(
            Duty, hall_id=hall.pk, chore_id=chore.pk, date=day, due_at=due, responsible_id=chore.a_id,
            role=DutyRole.A, status=DutyStatus.DONE, why={}, reason="", done_at=done, done_by_id=chore.a_id, note="",
        )  # fmt: skip
        sink.event(Duty, duty_id, hall.pk, "assign", generated, None,
                   data={"responsible": chore.a_id, "from": None, "role": DutyRole.A, "why": {}})  # fmt: skip
        clock_row(sink, plan, Duty, duty_id, "done", "Duty %(chore)s on %(date)s",
                  {"chore": chore.name, "date": f"{day:%m-%d}"}, link, chore.a_id, due, grace, done)  # fmt: skip
        sink.event(Duty, duty_id, hall.pk, "done", done, chore.a_id, DutyStatus.OPEN, DutyStatus.DONE)
