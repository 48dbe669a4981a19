"""Every page and message comes in Simplified Chinese by default and in English on request."""

import ast
import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.factories import issue
from tickets.models import CounterStatus

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # The locale middleware leaves the last request's language active in this thread.
    yield
    translation.deactivate()


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def english_by_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return {}


def english_by_header(client):
    return {"HTTP_ACCEPT_LANGUAGE": "en"}


ENGLISH = pytest.mark.parametrize("ask_for_english", [english_by_cookie, english_by_header], ids=["cookie", "header"])


# Pages


def test_it_shows_the_kiosk_in_chinese_by_default(demo):
    response = Client().get("/kiosk/demo/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "自助取号" in page
    assert "请点击要办理的业务取号" in page
    assert "Take a number" not in page


@ENGLISH
def test_it_shows_the_kiosk_in_english_when_asked(demo, ask_for_english):
    client = Client()

    response = client.get("/kiosk/demo/", **ask_for_english(client))

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Take a number" in page
    assert "Touch your business to take a number" in page
    assert "自助取号" not in page


def test_it_shows_the_login_page_in_chinese_by_default(db):
    page = Client().get("/login/").content.decode()

    assert "<title>登录</title>" in page
    assert "用户名" in page
    assert "密码" in page


@ENGLISH
def test_it_shows_the_login_page_in_english_when_asked(db, ask_for_english):
    client = Client()

    page = client.get("/login/", **ask_for_english(client)).content.decode()

    assert "<title>Log in</title>" in page
    assert "Username" in page
    assert "用户名" not in page


def test_it_switches_to_english_through_the_language_form_and_stays_there(demo):
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kiosk/demo/"}, follow=True)

    assert "Take a number" in response.content.decode()
    assert "<title>Log in</title>" in client.get("/login/").content.decode()


# API messages


def close(counter):
    counter.status = CounterStatus.CLOSED
    counter.save()
    counter.refresh_from_db()
    assert counter.status == CounterStatus.CLOSED


def test_it_answers_an_api_error_in_chinese_by_default(clerk_api, counter):
    close(counter)

    response = clerk_api.post(f"/api/counters/{counter.pk}/call-next/")

    assert response.status_code == 409
    assert response.json() == {"detail": "窗口未开放。", "code": "invalid_transition"}


@ENGLISH
def test_it_answers_an_api_error_in_english_when_asked(clerk_api, counter, ask_for_english):
    close(counter)

    response = clerk_api.post(f"/api/counters/{counter.pk}/call-next/", **ask_for_english(clerk_api))

    assert response.status_code == 409
    assert response.json() == {"detail": "The counter is not open.", "code": "invalid_transition"}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("zh-hans", "该排队号票状态为“等候中”，不能重呼。"),
        ("en", "This queue ticket is Waiting and cannot be recalled."),
    ],
)
def test_it_puts_the_status_and_action_words_of_a_refused_transition_in_the_same_language(
    clerk_api, hall, types, counter, language, detail
):
    waiting = issue(hall, types["A"])

    response = clerk_api.post(f"/api/tickets/{waiting.pk}/recall/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 409
    assert response.json()["detail"] == detail


# The catalogues


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file as {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", …}."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, key = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _sep, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def messages(path: Path) -> list[dict]:
    return [entry for entry in read_po(path) if entry["msgid"]]


def test_there_is_a_chinese_catalogue():
    assert LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGS
    assert len(messages(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po")) > 100


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    header = next(entry for entry in read_po(path) if entry["msgid"] == "")
    untranslated = [entry["msgid"] for entry in messages(path) if not all(translations(entry))]
    fuzzy = [entry["msgid"] for entry in read_po(path) if "fuzzy" in entry["flags"]]

    assert untranslated == []
    assert fuzzy == []
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_every_translation_keeps_the_placeholders_of_its_message(path):
    broken = [
        (entry["msgid"], text)
        for entry in messages(path)
        for text in translations(entry)
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry["msgid"]))
    ]

    assert broken == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_the_committed_mo_file_is_compiled_from_the_po_file(path):
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog

    expected = {}
    for entry in messages(path):
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            expected[(msgid, 0)] = entry["msgstr[0]"]
        else:
            expected[msgid] = entry["msgstr"]
    assert {key: value for key, value in compiled.items() if key != ""} == expected
