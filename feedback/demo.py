"""The demo hall's suggestions, praise and one mystery-shopper visit with its photo."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from feedback import services
from feedback.models import Feedback, FeedbackKind, MysteryVisit
from hall.models import Hall, Role, User
from patrols.models import Category, PatrolTemplate, TemplateItem

# The eight bytes a PNG starts with and an empty IHDR: enough for the content check, shown as a broken picture.
DEMO_PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(24)
ITEMS = [
    (Category.ENVIRONMENT, "大厅整洁，标识清楚", 2),
    (Category.ORDER, "叫号有序，无插队", 2),
    (Category.STAFF, "佩戴工牌，使用文明用语", 3),
    (Category.SUPERVISOR, "值班经理在岗巡视", 2),
]


def seed(hall: Hall) -> None:
    """Idempotent: does nothing once the hall has feedback."""
    if Feedback.objects.filter(hall=hall).exists():
        return
    manager = User.objects.filter(hall=hall, groups__name=Role.HALL_MANAGER).first()
    clerks = list(User.objects.filter(hall=hall, groups__name=Role.CLERK).order_by("username"))
    if manager is None or len(clerks) < 2:
        return
    services.feedback_receive(
        hall=hall,
        kind=FeedbackKind.SUGGESTION,
        customer_name="王女士",
        phone="13800001111",
        text="建议在等候区增加老花镜和充电口。",
    )
    answered = services.feedback_receive(
        hall=hall,
        kind=FeedbackKind.SUGGESTION,
        customer_name="赵先生",
        phone="13800002222",
        text="希望周六也能办理业扩报装。",
        actor=clerks[0],
    )
    services.feedback_reply(feedback=answered, text="已电话答复：周六上午可办理。", actor=manager)
    services.feedback_receive(
        hall=hall,
        kind=FeedbackKind.PRAISE,
        customer_name="陈阿姨",
        phone="13800003333",
        text="工作人员耐心细致，帮我把过户手续一次办好。",
        staff=clerks[0],
    )
    services.feedback_receive(
        hall=hall,
        kind=FeedbackKind.PRAISE,
        customer_name="刘先生",
        phone="13800004444",
        text="服务热情，解释清楚。",
        staff=clerks[1],
        actor=clerks[1],
    )
    if MysteryVisit.objects.filter(hall=hall).exists():
        return
    template = PatrolTemplate.objects.filter(hall=hall, is_active=True).order_by("id").first()
    if template is None:
        template = PatrolTemplate.objects.create(hall=hall, name="服务规范")
        TemplateItem.objects.bulk_create(
            TemplateItem(template=template, category=category, text=text, points=points, order=n)
            for n, (category, text, points) in enumerate(ITEMS)
        )
    items = list(template.items.all())
    results = [{"item": item, "result": "pass", "note": "", "staff": None} for item in items]
    staff_items = [row for row in results if row["item"].category == Category.STAFF] or results[:1]
    staff_items[0].update(result="fail", note="未佩戴工牌", staff=clerks[1])
    services.mystery_visit_record(
        hall=hall,
        template=template,
        visited_at=timezone.now() - dt.timedelta(days=2),
        visitor="第三方测评公司",
        results=results,
        evidence=[SimpleUploadedFile("badge.png", DEMO_PHOTO, content_type="image/png")],
        note="上午 10 点暗访，全程录音录像。",
        actor=manager,
    )
