"""Writes of the hall's own records that every workflow shares."""

from hall.db import insert
from hall.models import Customer, Hall


def customer_for_contact(*, hall: Hall, name: str, phone: str, address: str = "") -> Customer:
    """The hall's customer with this phone number, or a new one: staff never have to look a customer up
    before registering a repair or a complaint."""
    found = Customer.objects.filter(hall=hall, phone=phone).order_by("id").first()
    if found is None:
        found = Customer(hall=hall, name=name, phone=phone, address=address)
        insert(found)
    return found
