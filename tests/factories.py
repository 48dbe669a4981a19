import factory
from django.contrib.auth.models import Group

from hall.models import Hall, Role, User
from tickets.models import BusinessType, Counter, CounterService, CounterStatus


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"hall{n}")
    name = factory.Sequence(lambda n: f"营业厅{n}")


class BusinessTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessType
        django_get_or_create = ["hall", "code"]

    hall = factory.SubFactory(HallFactory)
    code = "A"
    name = factory.LazyAttribute(lambda o: f"业务{o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"员工{n}")
    hall = factory.SubFactory(HallFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw12345678")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or [Role.CLERK]:
            self.groups.add(Group.objects.get_or_create(name=role)[0])
        self.save()


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter
        skip_postgeneration_save = True

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = CounterStatus.OPEN

    @factory.post_generation
    def serves(self, create, extracted, **kwargs):
        """serves={business_type: weight} or [business_type, ...]"""
        items = extracted.items() if isinstance(extracted, dict) else ((bt, 1) for bt in extracted or [])
        for business_type, weight in items:
            CounterService.objects.create(counter=self, business_type=business_type, weight=weight)


def person(hall, username, role=Role.CLERK, **fields):
    """A member of the hall's staff with one role."""
    return UserFactory(hall=hall, username=username, roles=[role], **fields)


# What a customer tells the desk, as the services and the API take it.
REPAIR = {
    "customer_name": "张三",
    "phone": "13800138000",
    "address": "人民路 8 号 3 单元",
    "fault": "outage",
    "description": "整栋楼停电",
    "urgency": 2,
}
COMPLAINT = {
    "customer_name": "李四",
    "phone": "13700137000",
    "channel": "counter",
    "category": "billing",
    "description": "本月电费比上月高出三倍",
}


def issue(hall, business_type, **kwargs):
    """A ticket issued the way the kiosk issues it."""
    from tickets import services

    return services.ticket_issue(hall=hall, business_type=business_type, **kwargs)


def serve(counter, actor=None):
    """Calls, starts and finishes the counter's next ticket; returns it."""
    from tickets import services

    ticket = services.ticket_call_next(counter=counter, actor=actor)
    services.ticket_start(ticket=ticket, actor=actor)
    return services.ticket_finish(ticket=ticket, actor=actor)


def register_repair(hall, actor=None, **kwargs):
    """A repair order registered at the counter the way the repair desk does it."""
    from repairs import services as repair_services

    return repair_services.repair_register(hall=hall, actor=actor, **{**REPAIR, **kwargs})


def accept_complaint(hall, actor=None, **kwargs):
    """A complaint taken the way the complaint desk takes it."""
    from complaints import services

    return services.complaint_accept(hall=hall, actor=actor, **{**COMPLAINT, **kwargs})
