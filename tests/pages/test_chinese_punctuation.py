import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A Chinese character followed by an ASCII colon, comma, semicolon, question or exclamation mark.
HALF_WIDTH_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff][:,;?!]")


def visible_text(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", "", page)


def test_the_counter_console_says_its_shortcuts_with_a_full_width_colon(client_as, clerk, counter):
    text = visible_text(client_as(clerk).get(reverse("counter-console", args=[counter.pk])))
    assert "快捷键：" in text
    assert HALF_WIDTH_AFTER_CHINESE.findall(text) == []


def test_the_duty_board_names_the_duty_manager_with_a_full_width_colon(client_as, clerk):
    text = visible_text(client_as(clerk).get(reverse("duty-board")))
    assert "值班经理：" in text
    assert HALF_WIDTH_AFTER_CHINESE.findall(text) == []
