"""The complaint pages hold every free text to hall.limits.TEXT_MAX, as the API does: a longer text is refused with
a message saying so and nothing is saved; nothing is ever cut."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintStatus
from hall.limits import TEXT_MAX
from hall.models import TimelineEvent
from tests.complaints.test_api import advance
from tests.factories import accept_complaint
from tests.records import assert_nothing_stored, assert_unchanged, state

pytestmark = pytest.mark.django_db

PAGE_LANGUAGE = "en"  # see client_as in tests/conftest.py
TOO_LONG = "长" * (TEXT_MAX + 1)
TOLD = f"The text is too long: at most {TEXT_MAX} characters, this one has {TEXT_MAX + 1}. Nothing was saved."
S = ComplaintStatus
# (the status the complaint is in, the action, its form with "TEXT" where the text goes)
STEPS = [
    (S.ACCEPTED, "investigate", {"note": "TEXT"}),
    (S.ACCEPTED, "progress", {"note": "TEXT"}),
    (S.INVESTIGATING, "resolve", {"resolution": "TEXT", "customer_confirmed": "on"}),
    (S.RESOLVED, "follow-up", {"satisfaction": "5", "note": "TEXT"}),
    (S.RESOLVED, "reopen", {"reason": "TEXT"}),
    (S.ACCEPTED, "hand-over", {"to": "HANDLER", "reason": "TEXT"}),
]


def act(client, complaint, action, **data):
    return client.post(reverse("complaint-action", args=[complaint.pk, action]), data, HTTP_HX_REQUEST="true")


def filled(form, text, handler):
    return {
        key: text if value == "TEXT" else handler.pk if value == "HANDLER" else value for key, value in form.items()
    }


def intake(**changes):
    return {
        "channel": "counter",
        "phone": "13900139000",
        "customer_name": "王五",
        "category": "billing",
        "description": "电费翻倍",
        **changes,
    }


@pytest.mark.parametrize(("status", "action", "form"), STEPS, ids=[step[1] for step in STEPS])
def test_a_step_with_a_text_too_long_is_refused_with_a_message_and_saves_nothing(
    client_as, clerk, handler, complaint, status, action, form
):
    complaint = advance(complaint, status, actor=clerk)
    before = state(complaint)

    response = act(client_as(clerk), complaint, action, **filled(form, TOO_LONG, handler))

    assert response.status_code == 200
    assert TOLD in response.content.decode()
    assert_unchanged(complaint, before, status)


@pytest.mark.parametrize(("status", "action", "form"), STEPS, ids=[step[1] for step in STEPS])
def test_a_text_of_exactly_the_limit_is_kept_whole(client_as, clerk, handler, complaint, status, action, form):
    complaint = advance(complaint, status, actor=clerk)
    text = "满" * TEXT_MAX

    response = act(client_as(clerk), complaint, action, **filled(form, text, handler))

    assert TOLD not in response.content.decode()
    assert TimelineEvent.objects.filter(object_id=complaint.pk).latest("id").note == text


def test_a_plain_form_post_with_a_text_too_long_says_so_after_the_redirect(client_as, clerk, complaint):
    before = state(complaint)

    response = client_as(clerk).post(reverse("complaint-action", args=[complaint.pk, "progress"]), {"note": TOO_LONG})

    assert response.status_code == 302
    assert [str(message) for message in get_messages(response.wsgi_request)] == [TOLD]
    assert_unchanged(complaint, before, S.ACCEPTED)


def test_the_intake_refuses_a_description_too_long_and_accepts_nothing(client_as, clerk):
    response = client_as(clerk).post(reverse("complaint-accept"), intake(description=TOO_LONG))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Ensure this value has at most {TEXT_MAX} characters (it has {TEXT_MAX + 1})." in html
    assert TOO_LONG in html  # given back whole to be shortened, not cut
    assert_nothing_stored()


def test_the_intake_keeps_a_description_of_exactly_the_limit_whole(client_as, clerk):
    client_as(clerk).post(reverse("complaint-accept"), intake(description="满" * TEXT_MAX))

    assert Complaint.objects.get().description == "满" * TEXT_MAX


def test_the_public_form_refuses_a_description_too_long_and_accepts_nothing(hall, duty):
    form = intake(description=TOO_LONG)
    form.pop("channel")

    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("complaint-public-form", args=[hall.code]), form)

    assert response.status_code == 400
    assert f"Ensure this value has at most {TEXT_MAX} characters" in response.content.decode()
    assert_nothing_stored()


def test_the_history_refuses_a_phone_too_long_instead_of_looking_up_a_cut_one(client_as, hall, clerk):
    someone = accept_complaint(hall, actor=clerk, phone="1" * 20)

    response = client_as(clerk).get(reverse("complaint-intake-history"), {"phone": "1" * 21})

    html = response.content.decode()
    assert "A phone number has at most 20 characters." in html
    assert someone.number not in html


def test_the_text_limit_is_what_the_forms_tell_the_browser(client_as, clerk, complaint):
    services.complaint_investigate(complaint=complaint, note="已联系", actor=clerk)

    html = client_as(clerk).get(reverse("complaint-detail", args=[complaint.pk])).content.decode()

    assert f'maxlength="{TEXT_MAX}"' in html
    assert 'maxlength=""' not in html
