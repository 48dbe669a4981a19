import pytest

from hall.models import Role
from patrols.models import Category
from patrols.services import template_create
from tests.factories import UserFactory

ITEMS = [
    {"category": Category.ENVIRONMENT, "text": "地面整洁", "standard": "无纸屑", "points": 5},
    {"category": Category.ORDER, "text": "排队有序", "standard": "无插队", "points": 3},
    {"category": Category.STAFF, "text": "佩戴工牌", "standard": "左胸", "points": 2},
]


@pytest.fixture
def template(hall, manager):
    return template_create(hall=hall, name="日常巡场", items=ITEMS, actor=manager)


@pytest.fixture
def items(template):
    return {item.text: item for item in template.items.all()}


@pytest.fixture
def duty_manager(hall):
    return UserFactory(hall=hall, username="duty2", roles=[Role.DUTY_MANAGER])
