import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", sorted(admin.site._registry, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_every_admin_list_and_add_page_opens_on_the_demo_hall(model):
    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    client.login(username="admin", password="demo12345")
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        assert client.get(reverse(f"{prefix}_change", args=[first.pk])).status_code == 200
