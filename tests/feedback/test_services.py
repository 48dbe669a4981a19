"""Suggestions start a reply clock the reply stops; praise names a person, who is told; a mystery visit is
checked before anything is written."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback import services
from feedback.models import Feedback, MysteryVisit
from hall.errors import ApplicationError, NotPermitted
from hall.models import Notification, SlaClock
from hall.sla import clocks_of
from hall.timeline import timeline_for
from tests.factories import UserFactory
from tests.feedback.helpers import WAV, make_template
from tests.files import PDF, PNG, upload

pytestmark = pytest.mark.django_db


def suggestion(hall, **kwargs):
    fields = {"kind": "suggestion", "customer_name": "王女士", "phone": "13800001111", "text": "多放几把椅子"}
    return services.feedback_receive(hall=hall, **{**fields, **kwargs})


def test_a_suggestion_runs_a_ten_working_day_reply_clock_owned_by_the_duty_manager(clock, hall, duty):
    feedback = suggestion(hall)

    (reply,) = clocks_of(feedback)
    assert reply.name == "reply"
    assert reply.responsible == duty
    assert reply.stopped_at is None
    assert feedback.reply_due == reply.due_at
    # 10 working days from a weekday morning end two weeks later at the end of the day (no holidays entered).
    assert (reply.due_at - feedback.created_at) > dt.timedelta(days=13)
    assert [event.action for event in timeline_for(feedback)] == ["receive"]


def test_the_reply_stops_the_clock_once(clock, hall, duty, manager):
    feedback = suggestion(hall)

    services.feedback_reply(feedback=feedback, text="已增加座椅", actor=manager)

    feedback.refresh_from_db()
    assert feedback.reply == "已增加座椅"
    assert feedback.replied_by == manager
    assert SlaClock.objects.get(object_id=feedback.pk, name="reply").stopped_at == feedback.replied_at
    assert [event.action for event in timeline_for(feedback)] == ["receive", "reply"]
    with pytest.raises(ApplicationError):
        services.feedback_reply(feedback=feedback, text="again", actor=manager)


def test_a_clerk_may_not_reply_and_another_halls_manager_neither(clock, hall, duty, clerk, north):
    feedback = suggestion(hall)
    other = UserFactory(hall=north, username="north_manager", roles=["hall_manager"])

    for actor in (clerk, other):
        with pytest.raises(NotPermitted):
            services.feedback_reply(feedback=feedback, text="ok", actor=actor)
    assert Feedback.objects.get().replied_at is None


def test_praise_names_a_member_of_the_halls_staff_who_is_told(clock, hall, clerk, north_clerk):
    praise = services.feedback_receive(
        hall=hall, kind="praise", customer_name="陈阿姨", phone="13800003333", text="很耐心", staff=clerk
    )

    (told,) = Notification.objects.filter(recipient=clerk)
    assert told.kind == "praise_received"
    assert told.params == {"customer": "陈阿姨"}
    assert told.link == praise.get_absolute_url()
    assert not clocks_of(praise).exists()
    with pytest.raises(ApplicationError):
        services.feedback_receive(hall=hall, kind="praise", customer_name="x", phone="1", text="y")
    with pytest.raises(ApplicationError):
        services.feedback_receive(hall=hall, kind="praise", customer_name="x", phone="1", text="y", staff=north_clerk)
    assert Feedback.objects.count() == 1


def visit(hall, manager, items, evidence=(), **kwargs):
    template = items[0].template
    results = [{"item": items[0], "result": "pass", "note": ""}, {"item": items[1], "result": "fail", "note": "无工牌"}]
    fields = {"visited_at": timezone.now() - dt.timedelta(hours=1), "visitor": "某测评公司", "results": results}
    return services.mystery_visit_record(
        hall=hall, template=template, evidence=evidence, actor=manager, **{**fields, **kwargs}
    )


def test_a_visit_keeps_its_results_and_evidence_photos_and_recordings(clock, hall, manager, clerk):
    _, items = make_template(hall)

    recorded = visit(hall, manager, items, [upload("a.png", PNG, "image/png"), upload("b.wav", WAV, "audio/wav")])

    assert [row.result for row in recorded.results.all()] == ["pass", "fail"]
    assert sorted(e.content_type for e in recorded.evidence.all()) == ["audio/wav", "image/png"]
    (event,) = timeline_for(recorded)
    assert event.data == {"results": 2, "failed": 1, "evidence": 2}


def test_a_visit_with_a_pdf_as_evidence_or_a_foreign_item_writes_nothing(clock, hall, manager):
    _, items = make_template(hall)
    _, others = make_template(hall, "另一个")

    with pytest.raises(ValidationError):
        visit(hall, manager, items, [upload("fake.mp3", PDF, "audio/mpeg")])
    with pytest.raises(ApplicationError):
        visit(hall, manager, items, results=[{"item": others[0], "result": "fail", "note": ""}])
    with pytest.raises(ApplicationError):
        visit(hall, manager, items, visited_at=timezone.now() + dt.timedelta(hours=1))
    assert not MysteryVisit.objects.exists()


def test_a_visits_evidence_is_kept_under_a_name_nobody_can_guess(clock, hall, manager):
    _, items = make_template(hall)

    recorded = visit(hall, manager, items, [upload("门头 照片.PNG", PNG, "image/png")])

    assert re.fullmatch(r"mystery/\d{4}/\d{2}/[A-Za-z0-9_-]{22}\.png", recorded.evidence.get().file.name)


def test_a_visit_with_more_than_ten_files_writes_nothing(clock, hall, manager):
    _, items = make_template(hall)

    with pytest.raises(ApplicationError, match="10"):
        visit(hall, manager, items, [upload(f"{n}.png", PNG, "image/png") for n in range(11)])
    assert not MysteryVisit.objects.exists()


def test_only_a_manager_records_a_visit(clock, hall, clerk):
    _, items = make_template(hall)

    with pytest.raises(NotPermitted):
        visit(hall, clerk, items)
