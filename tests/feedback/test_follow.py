"""The customer follows a suggestion or praise by its reference and the last four digits of their phone: the
answer and its time, nothing else of the record, one "not found" for any mismatch, few tries a minute."""

import re

import pytest
from django.urls import reverse

from feedback import selectors, services
from feedback.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Feedback
from feedback.policies import FOLLOW_TRIES_PER_MINUTE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "138-0000-1234"
REFERENCE = re.compile(f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")


def suggestion(hall, **kwargs):
    fields = {"kind": "suggestion", "customer_name": "王女士", "phone": PHONE, "text": "多放几把椅子"}
    return services.feedback_receive(hall=hall, **{**fields, **kwargs})


def follow(hall, reference, phone_end="1234"):
    return selectors.followed_feedback(hall=hall, reference=reference, phone_end=phone_end)


def follow_url(hall):
    return reverse("feedback-follow", args=[hall.code])


# The reference


def test_each_feedback_gets_its_own_reference_that_is_not_its_id(clock, hall, duty):
    first, second = suggestion(hall), suggestion(hall)

    assert REFERENCE.fullmatch(first.reference) and REFERENCE.fullmatch(second.reference)
    assert first.reference != second.reference
    assert str(first.pk) not in first.reference


# The service and selector


def test_a_new_suggestion_is_received_and_shows_no_answer(clock, hall, duty):
    feedback = suggestion(hall)

    assert follow(hall, feedback.reference) == {
        "reference": feedback.reference,
        "status": "received",
        "reply": "",
        "replied_at": None,
    }


def test_an_answered_suggestion_shows_the_answer_and_its_time(clock, hall, duty, manager):
    feedback = services.feedback_reply(feedback=suggestion(hall), text="已增加座椅", actor=manager)

    found = follow(hall, feedback.reference)

    assert found["status"] == "replied"
    assert found["reply"] == "已增加座椅"
    assert found["replied_at"] == feedback.replied_at


def test_the_reference_may_be_typed_in_lower_case_with_spaces_and_a_dash(clock, hall, duty):
    feedback = suggestion(hall)
    typed = f" {feedback.reference[:4].lower()} - {feedback.reference[4:].lower()} "

    assert follow(hall, typed)["reference"] == feedback.reference


def test_wrong_digits_a_wrong_reference_or_another_hall_find_nothing(clock, hall, duty, north):
    feedback = suggestion(hall)
    other = next(ch for ch in REFERENCE_ALPHABET if ch != feedback.reference[0])

    assert follow(hall, feedback.reference, "4321") is None
    assert follow(hall, other + feedback.reference[1:]) is None
    assert follow(hall, "") is None
    assert follow(north, feedback.reference) is None


# The public pages


def test_the_customer_gets_the_reference_after_sending_the_form(clock, client, hall, duty):
    sent = client.post(
        reverse("feedback-public-form", args=[hall.code]),
        {"kind": "suggestion", "customer_name": "王女士", "phone": PHONE, "text": "多放椅子"},
    )

    thanks = client.get(sent["Location"]).content.decode()
    reference = Feedback.objects.get().reference
    assert "您的查询码" in thanks and reference in thanks
    assert f"{follow_url(hall)}?ref={reference}" in thanks
    assert str(Feedback.objects.get().pk) not in sent["Location"]


def test_a_thanks_page_without_a_sent_form_shows_no_reference(clock, client, hall, duty):
    suggestion(hall)

    page = client.get(reverse("feedback-public-form", args=[hall.code]) + "?thanks=suggestion").content.decode()

    assert "您的查询码" not in page


def test_the_follow_page_is_in_chinese_and_takes_the_reference_from_the_link(clock, client, hall):
    page = client.get(follow_url(hall) + "?ref=ABCD2345")

    html = page.content.decode()
    assert page.status_code == 200
    assert "手机号后四位" in html and 'value="ABCD2345"' in html
    assert 'inputmode="numeric"' in html
    assert client.get(reverse("feedback-follow", args=["nowhere"])).status_code == 404


def test_the_follow_page_shows_the_status_and_nothing_else_of_the_record(clock, client, hall, duty):
    feedback = suggestion(hall, customer_name="王秀英")

    page = client.post(follow_url(hall), {"reference": feedback.reference, "phone_end": "1234"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "已收到，尚未答复" in html
    for secret in ("王秀英", "多放几把椅子", PHONE, "13800001234", duty.display_name):
        assert secret not in html


def test_the_follow_page_shows_the_answer_and_when_but_not_who(clock, client, hall, duty, manager):
    manager.name = "张经理"
    manager.save(update_fields=["name"])
    feedback = services.feedback_reply(feedback=suggestion(hall), text="已增加座椅，谢谢", actor=manager)

    html = client.post(follow_url(hall), {"reference": feedback.reference, "phone_end": "1234"}).content.decode()

    assert "已答复" in html and "已增加座椅，谢谢" in html
    assert "答复时间：2026-03-02 09:00" in html
    assert "张经理" not in html and "王女士" not in html


def test_wrong_digits_and_a_wrong_reference_get_the_same_answer(clock, client, hall, duty):
    feedback = suggestion(hall)
    other = next(ch for ch in REFERENCE_ALPHABET if ch != feedback.reference[0])

    wrong_digits = client.post(
        follow_url(hall), {"reference": feedback.reference, "phone_end": "4321"}, REMOTE_ADDR="10.0.0.1"
    )
    wrong_reference = client.post(
        follow_url(hall), {"reference": other + feedback.reference[1:], "phone_end": "1234"}, REMOTE_ADDR="10.0.0.2"
    )

    assert wrong_digits.status_code == wrong_reference.status_code == 404

    def message(answer):
        return re.search(r'role="alert">([^<]*)<', answer.content.decode()).group(1)

    assert (
        message(wrong_digits)
        == message(wrong_reference)
        == ("没有查到与该查询码和手机号后四位相符的记录。请核对后再试，或到柜台咨询。")
    )


def test_digits_that_are_not_four_are_a_400(clock, client, hall, duty):
    feedback = suggestion(hall)

    for bad in ("123", "12345", "12a4"):
        answer = client.post(follow_url(hall), {"reference": feedback.reference, "phone_end": bad})
        assert answer.status_code == 400
        assert "请输入您留下的手机号的后四位数字。" in answer.content.decode()
    assert client.post(follow_url(hall), {"reference": feedback.reference}).status_code == 400


def test_the_follow_page_allows_a_few_tries_a_minute_per_address(clock, client, hall, duty):
    feedback = suggestion(hall)
    wrong = {"reference": feedback.reference, "phone_end": "0000"}
    right = {"reference": feedback.reference, "phone_end": "1234"}

    codes = [
        client.post(follow_url(hall), wrong, REMOTE_ADDR="10.0.0.3").status_code for _ in range(FOLLOW_TRIES_PER_MINUTE)
    ]

    assert codes == [404] * FOLLOW_TRIES_PER_MINUTE
    blocked = client.post(follow_url(hall), right, REMOTE_ADDR="10.0.0.3")
    assert blocked.status_code == 429 and "已收到" not in blocked.content.decode()
    assert client.post(follow_url(hall), right, REMOTE_ADDR="10.0.0.4").status_code == 200
    clock.shift(60)
    assert client.post(follow_url(hall), right, REMOTE_ADDR="10.0.0.3").status_code == 200


# At the counter


def test_the_clerk_is_told_the_reference_and_prints_the_customers_slip(clock, client_as, hall, clerk, duty):
    clerk_client = client_as(clerk)

    taken = clerk_client.post(
        reverse("feedback-accept"),
        {"kind": "suggestion", "customer_name": "王女士", "phone": PHONE, "text": "多放椅子"},
        follow=True,
    )

    feedback = Feedback.objects.get()
    html = taken.content.decode()
    assert f"客户的查询码是 {feedback.reference}" in html
    assert reverse("feedback-slip", args=[feedback.pk]) in html
    slip = clerk_client.get(reverse("feedback-slip", args=[feedback.pk]))
    slip_html = slip.content.decode()
    assert slip.status_code == 200
    assert feedback.reference in slip_html and "<svg" in slip_html
    assert f"http://testserver{follow_url(hall)}" in slip_html
    assert "王女士" not in slip_html and PHONE not in slip_html


def test_the_slip_is_for_the_halls_staff_only(clock, client, client_as, hall, duty, north):
    feedback = suggestion(hall)
    url = reverse("feedback-slip", args=[feedback.pk])
    north_clerk = UserFactory(hall=north, username="north_clerk", roles=["clerk"])

    assert client_as(north_clerk).get(url).status_code == 404
    assert client.get(url).status_code == 302


# The API


def test_the_public_api_gives_the_reference_back(clock, api, hall, duty):
    body = {"hall": hall.pk, "kind": "suggestion", "customer_name": "王女士", "phone": PHONE, "text": "建议"}

    answer = api.post("/api/feedback/", body, format="json", REMOTE_ADDR="10.0.0.5")

    assert answer.json()["reference"] == Feedback.objects.get().reference


def test_the_follow_api_answers_the_status_only(clock, api, hall, duty, manager):
    feedback = services.feedback_reply(feedback=suggestion(hall), text="已增加座椅", actor=manager)
    body = {"hall": hall.pk, "reference": feedback.reference.lower(), "phone_end": "1234"}

    answer = api.post("/api/feedback/follow/", body, format="json")

    assert answer.status_code == 200
    assert answer.json() == {
        "reference": feedback.reference,
        "status": "replied",
        "reply": "已增加座椅",
        "replied_at": answer.json()["replied_at"],
    }
    assert answer.json()["replied_at"].startswith("2026-03-02T")


def test_the_follow_api_is_404_alike_and_400_for_bad_digits(clock, api, hall, duty, north):
    feedback = suggestion(hall)
    tries = [
        {"hall": hall.pk, "reference": feedback.reference, "phone_end": "4321"},
        {"hall": hall.pk, "reference": "ABCD2345", "phone_end": "1234"},
        {"hall": north.pk, "reference": feedback.reference, "phone_end": "1234"},
    ]

    answers = [
        api.post("/api/feedback/follow/", body, format="json", REMOTE_ADDR=f"10.0.1.{n}")
        for n, body in enumerate(tries)
    ]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    bad = api.post("/api/feedback/follow/", {**tries[0], "phone_end": "12"}, format="json", REMOTE_ADDR="10.0.2.1")
    assert bad.status_code == 400 and "phone_end" in bad.json()


def test_the_follow_page_and_api_share_one_count(clock, client, api, hall, duty):
    feedback = suggestion(hall)
    for _ in range(FOLLOW_TRIES_PER_MINUTE):
        client.post(follow_url(hall), {"reference": feedback.reference, "phone_end": "0000"}, REMOTE_ADDR="10.0.3.1")

    body = {"hall": hall.pk, "reference": feedback.reference, "phone_end": "1234"}
    assert api.post("/api/feedback/follow/", body, format="json", REMOTE_ADDR="10.0.3.1").status_code == 429
