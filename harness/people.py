"""People and customers made directly, for a run that needs a few of them."""


def person(hall, username: str, role: str, password: str | None = "bench-only", **fields):
    """A member of `hall` with `role`, whose password is "bench-only" (or none, quicker to make, with None)."""
    from django.contrib.auth.models import Group

    from hall.models import User

    user = User.objects.create_user(username=username, password=password, hall=hall, **fields)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=user).key


def customer(hall):
    from hall.models import Customer

    return Customer.objects.create(hall=hall, name="Benchmark customer", phone="13800000000")
