"""Every page and the browser's own /favicon.ico request get the hall's icon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_a_real_icon_file():
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


def test_pages_name_the_icon_and_it_is_there():
    page = Client().get("/login/").content.decode()

    icons = re.findall(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert icons == ["favicon.ico", "favicon.svg"]
    for name in icons:
        assert finders.find(name), name
