"""The pages: the customer's phone form (Chinese, rate-limited), the counter intake, the staff list with its reply
form, a suggestion's page with its timeline, and the managers' visits."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, MysteryVisit
from feedback.policies import PUBLIC_FEEDBACK_PER_MINUTE
from tests.factories import UserFactory
from tests.feedback.helpers import make_template
from tests.files import PDF, PNG, upload

pytestmark = pytest.mark.django_db


def posted(**fields):
    return {"kind": "suggestion", "customer_name": "王女士", "phone": "13800001111", "text": "多放椅子", **fields}


def test_the_public_form_is_in_chinese_and_lists_the_halls_staff_by_counter(client, hall, counter, clerk, north_clerk):
    page = client.get(reverse("feedback-public-form", args=[hall.code]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "建议" in html and "表扬" in html
    assert f"1号窗口 · {clerk.display_name}" in html
    assert f'value="{clerk.pk}"' in html and f'value="{north_clerk.pk}"' not in html
    assert client.get(reverse("feedback-public-form", args=["nowhere"])).status_code == 404


def test_the_public_form_takes_praise_and_thanks(client, hall, clerk):
    url = reverse("feedback-public-form", args=[hall.code])

    answer = client.post(url, posted(kind="praise", staff=clerk.pk))

    assert answer.status_code == 302
    assert Feedback.objects.get().staff == clerk
    assert "谢谢" in client.get(answer["Location"]).content.decode()


def test_the_public_form_refuses_praise_without_a_person_and_is_rate_limited(clock, client, hall, duty):
    url = reverse("feedback-public-form", args=[hall.code])

    assert client.post(url, posted(kind="praise"), REMOTE_ADDR="10.0.0.1").status_code == 400
    codes = [
        client.post(url, posted(phone=f"1380000{n:04d}"), REMOTE_ADDR="10.0.0.1").status_code
        for n in range(PUBLIC_FEEDBACK_PER_MINUTE)
    ]
    assert codes == [302] * (PUBLIC_FEEDBACK_PER_MINUTE - 1) + [429]
    assert Feedback.objects.count() == PUBLIC_FEEDBACK_PER_MINUTE - 1


def test_the_form_and_the_api_share_one_count(clock, client, api, hall, duty):
    url = reverse("feedback-public-form", args=[hall.code])
    for n in range(PUBLIC_FEEDBACK_PER_MINUTE):
        assert client.post(url, posted(phone=f"1380000{n:04d}"), REMOTE_ADDR="10.0.0.2").status_code == 302

    body = {"hall": hall.pk, **posted()}
    assert api.post("/api/feedback/", body, format="json", REMOTE_ADDR="10.0.0.2").status_code == 429


def test_a_clerk_takes_feedback_at_the_counter_and_a_manager_replies_from_the_list(clock, client_as, hall, clerk, duty):
    clerk_client = client_as(clerk)
    answer = clerk_client.post(reverse("feedback-accept"), posted())
    feedback = Feedback.objects.get()
    assert answer["Location"] == feedback.get_absolute_url()
    assert feedback.taken_by == clerk and feedback.channel == "counter"

    listing = clerk_client.get(reverse("feedback-list")).content.decode()
    assert "多放椅子" in listing and reverse("feedback-reply", args=[feedback.pk]) not in listing
    clerk_client.post(reverse("feedback-reply", args=[feedback.pk]), {"text": "好"})
    assert Feedback.objects.get().replied_at is None

    duty_client = client_as(duty)
    listing = duty_client.get(reverse("feedback-list") + "?unanswered=1").content.decode()
    assert reverse("feedback-reply", args=[feedback.pk]) in listing
    back = duty_client.post(
        reverse("feedback-reply", args=[feedback.pk]), {"text": "已增加座椅", "next": reverse("feedback-list")}
    )
    assert back["Location"] == reverse("feedback-list")
    detail = duty_client.get(feedback.get_absolute_url()).content.decode()
    assert "已增加座椅" in detail and "处理记录" in detail
    assert "timeline-receive" in detail and "timeline-reply" in detail


def test_another_halls_feedback_page_is_404(clock, client_as, client, hall, north, duty):
    client.post(reverse("feedback-public-form", args=[hall.code]), posted())
    other = client_as(UserFactory(hall=north, username="north_manager", roles=["hall_manager"]))
    pk = Feedback.objects.get().pk

    assert other.get(reverse("feedback-detail", args=[pk])).status_code == 404
    assert other.post(reverse("feedback-reply", args=[pk]), {"text": "x"}).status_code == 404
    assert "多放椅子" not in other.get(reverse("feedback-list")).content.decode()


def visit_post(items, clerk, **fields):
    at = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    return {
        "template": items[0].template_id,
        "visited_at": at.strftime("%Y-%m-%dT%H:%M"),
        "visitor": "某测评公司",
        f"result_{items[0].pk}": "pass",
        f"result_{items[1].pk}": "fail",
        f"note_{items[1].pk}": "无工牌",
        f"staff_{items[1].pk}": clerk.pk,
        **fields,
    }


def test_a_manager_records_a_visit_on_the_page_and_sees_whether_it_can_deduct(clock, client_as, hall, manager, clerk):
    _, items = make_template(hall)
    manager_client = client_as(manager)
    form = manager_client.get(reverse("mystery-visit-record")).content.decode()
    assert "佩戴工牌" in form and f'name="result_{items[1].pk}"' in form

    answer = manager_client.post(reverse("mystery-visit-record"), visit_post(items, clerk))

    visit = MysteryVisit.objects.get()
    assert answer["Location"] == visit.get_absolute_url()
    page = manager_client.get(visit.get_absolute_url()).content.decode()
    assert "no-evidence" in page and "无工牌" in page
    assert "no-evidence" in manager_client.get(reverse("mystery-visit-list")).content.decode()

    manager_client.post(
        reverse("mystery-visit-record"), visit_post(items, clerk, evidence=upload("a.png", PNG, "image/png"))
    )
    with_photo = MysteryVisit.objects.latest("id")
    page = manager_client.get(with_photo.get_absolute_url()).content.decode()
    assert "no-evidence" not in page
    evidence = with_photo.evidence.get()
    assert manager_client.get(reverse("mystery-visit-evidence", args=[with_photo.pk, evidence.pk])).status_code == 200


def test_the_visit_page_refuses_a_fake_recording_and_clerks(clock, client_as, hall, manager, clerk):
    _, items = make_template(hall)

    answer = client_as(manager).post(
        reverse("mystery-visit-record"), visit_post(items, clerk, evidence=upload("a.mp3", PDF, "audio/mpeg"))
    )

    assert answer.status_code == 400
    assert "a.mp3" in answer.content.decode()
    assert not MysteryVisit.objects.exists()
    assert client_as(clerk).get(reverse("mystery-visit-list")).status_code == 403
    assert client_as(clerk).post(reverse("mystery-visit-record"), visit_post(items, clerk)).status_code == 403
