from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from hall.models import BusinessType, Counter, CounterService, Hall, Role, User

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


class Command(BaseCommand):
    help = "Creates (or brings up to date) the demo halls `demo` and `north` with their staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345")

    @transaction.atomic
    def handle(self, *args, password, **options):
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        demo = self.hall("demo", "示范营业厅", "人民路 1 号", DEMO_COUNTERS)
        north = self.hall("north", "北区营业厅", "北环路 88 号", NORTH_COUNTERS)
        accounts = [("admin", "管理员", demo, [], True)]
        accounts += [(u, n, demo, r, False) for u, n, r in DEMO_ACCOUNTS]
        accounts += [(u, n, north, r, False) for u, n, r in NORTH_ACCOUNTS]
        rows = []
        for username, name, hall, roles, superuser in accounts:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "name": name,
                    "hall": hall,
                    "is_superuser": superuser,
                    "is_staff": superuser,
                    "is_active": True,
                    "skills": WORKER_SKILLS.get(username, []),
                },
            )
            user.set_password(password)
            user.save()
            user.groups.set([groups[role] for role in roles])
            rows.append((username, hall.code, ", ".join(roles) or "superuser"))
            self.seat_clerk(user, hall)
        self.stdout.write("Demo accounts:")
        for username, hall_code, roles in rows:
            self.stdout.write(f"  {username:<15} password {password:<12} hall {hall_code:<6} {roles}")

    def seat_clerk(self, user, hall) -> None:
        """clerkN normally works counter N: their console opens there."""
        number = user.username.removeprefix(f"{hall.code}_").removeprefix("clerk")
        if Role.CLERK in user.roles and number.isdigit():
            Counter.objects.filter(hall=hall, number=int(number), clerk__isnull=True).update(clerk=user)

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
