import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hall.models import Notification, Role, SlaPolicyKey
from hall.sla import DEFAULT_POLICIES, ensure_policies
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PROJECT_APPS = ["hall", "tickets", "repairs", "complaints", "staff", "reports"]


@pytest.fixture
def admin_client(db):
    user = UserFactory(hall=None, username="root", roles=[], is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def _labels_of(model):
    yield "model", model._meta.verbose_name
    yield "model", model._meta.verbose_name_plural
    for field in model._meta.get_fields():
        if isinstance(field, GenericForeignKey) or field.auto_created or field.name == "id":
            continue
        yield field.name, field.verbose_name
        for value, text in field.flatchoices or []:
            if value not in ("", None):
                yield f"{field.name}={value}", text


def test_every_admin_model_field_and_choice_of_the_hall_has_a_chinese_label():
    untranslated = []
    with translation.override("zh-hans"):
        for model in admin.site._registry:
            if model._meta.app_label in PROJECT_APPS:
                untranslated += [
                    (model._meta.label, name, str(text))
                    for name, text in _labels_of(model)
                    if not CHINESE.search(str(text))
                ]
    assert untranslated == []


def test_every_sla_policy_the_engine_knows_has_a_name():
    assert set(DEFAULT_POLICIES) == set(SlaPolicyKey.values)


def test_the_admin_index_lists_the_halls_records_before_celerys_schedules(admin_client):
    response = admin_client.get(reverse("admin:index"))
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[: len(PROJECT_APPS)] == PROJECT_APPS
    assert labels.index("django_celery_beat") > labels.index("staff")
    assert reverse("admin:repairs_repairorder_changelist") in response.content.decode()


def test_the_admin_index_speaks_chinese(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "营业厅服务系统管理" in page
    assert "报修单" in page or "报修" in page


def test_it_shows_role_groups_by_their_chinese_names(admin_client):
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name=Role.CLERK)
    page = admin_client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert str(Role.CLERK.label) in page or "营业员" in page
    assert ">clerk<" not in page


def test_it_shows_a_persons_roles_by_their_chinese_names(admin_client, hall):
    person = UserFactory(hall=hall, username="clerk7", roles=[Role.CLERK, Role.DUTY_MANAGER])
    changelist = admin_client.get(reverse("admin:hall_user_changelist")).content.decode()
    change = admin_client.get(reverse("admin:hall_user_change", args=[person.pk])).content.decode()
    assert "营业员、值班经理" in changelist
    assert ">clerk<" not in changelist
    assert ">营业员<" in change
    assert ">clerk<" not in change


def test_it_shows_sla_policies_by_the_clocks_name(admin_client, hall):
    ensure_policies(hall)
    page = admin_client.get(reverse("admin:hall_slapolicy_changelist")).content.decode()
    assert "投诉：首次联系" in page
    assert ">complaint-first-contact<" not in page
    assert ">repair-respond-1<" not in page


def test_it_shows_notification_kinds_readably(admin_client, hall):
    user = UserFactory(hall=hall, username="m1", roles=[Role.HALL_MANAGER])
    Notification.objects.create(hall=hall, recipient=user, kind="sla_escalated", subject="12-02")
    page = admin_client.get(reverse("admin:hall_notification_changelist")).content.decode()
    assert "已升级至营业厅经理" in page
    assert ">sla_escalated<" not in page


def test_it_filters_celerys_schedules_by_a_translated_task_label(admin_client):
    page = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    assert "Task Name" not in page
    assert "任务" in page


def test_a_role_groups_page_is_titled_with_the_roles_name(admin_client):
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=Role.CLERK)
    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "<h1>营业员</h1>" in page or ">营业员</h1>" in page
    assert "<title>clerk" not in page


def test_it_shows_sla_clocks_by_what_they_promise(admin_client, hall, repair):
    page = admin_client.get(reverse("admin:hall_slaclock_changelist")).content.decode()
    assert "按时到达现场" in page
    assert ">respond<" not in page
