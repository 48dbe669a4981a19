"""Duty reasons and handover open items become codes with parameters (staff.reasons), put into words when shown.
Texts stored before in English or Chinese are mapped back to their codes; anything else stays as written."""

import re

from django.db import migrations, models

AWAY = {"on leave": "on_leave", "not rostered": "not_rostered", "inactive": "inactive"}
AWAY |= {"请假": "on_leave", "未排班": "not_rostered", "已停用": "inactive"}

REASONS = [
    ("covers", r"(?P<a>.+) is (?P<away>on leave|not rostered|inactive); (?P<b>.+) covers"),
    ("covers", r"(?P<a>.+) (?P<away>请假|未排班|已停用)，由 (?P<b>.+) 顶岗"),
    ("both_away", r"(?P<a>.+) and (?P<b>.+) are both away"),
    ("both_away", r"(?P<a>.+) 和 (?P<b>.+) 均不在岗"),
]

ITEMS = [
    ("tickets", r"(?P<count>\d+) waiting for (?P<code>[A-Z])"),
    ("tickets", r"(?P<code>[A-Z]) 类业务 (?P<count>\d+) 人等候"),
    ("repair", r"Repair (?P<number>\S+) overdue"),
    ("repair", r"报修工单 (?P<number>\S+) 已超时"),
    ("complaint", r"Complaint (?P<number>\S+) overdue"),
    ("complaint", r"投诉 (?P<number>\S+) 已超时"),
    ("duty", r"Duty not done: (?P<chore>.+)"),
    ("duty", r"事项未完成：(?P<chore>.+)"),
]

# Going back writes the texts in the halls' default language.
CHINESE_REASONS = {"covers": "%(a)s %(why)s，由 %(b)s 顶岗", "both_away": "%(a)s 和 %(b)s 均不在岗"}
CHINESE_AWAY = {"on_leave": "请假", "not_rostered": "未排班", "inactive": "已停用"}
CHINESE_ITEMS = {
    "tickets": "%(code)s 类业务 %(count)s 人等候",
    "repair": "报修工单 %(number)s 已超时",
    "complaint": "投诉 %(number)s 已超时",
    "duty": "事项未完成：%(chore)s",
}


def reason_code(text: str) -> dict:
    for code, pattern in REASONS:
        if found := re.fullmatch(pattern, text):
            why = {"code": code, **found.groupdict()}
            if "away" in why:
                why["away"] = AWAY[why["away"]]
            return why
    return {}


def item_code(item: dict) -> dict:
    for kind, pattern in ITEMS:
        if item.get("kind") == kind and (found := re.fullmatch(pattern, item.get("label", ""))):
            params = found.groupdict()
            if "count" in params:
                params["count"] = int(params["count"])
            return {key: value for key, value in item.items() if key != "label"} | params
    return item


def to_codes(apps, schema_editor):
    Duty, Handover = apps.get_model("staff", "Duty"), apps.get_model("staff", "Handover")
    duties = []
    for duty in Duty.objects.exclude(reason="").only("pk", "reason").iterator(chunk_size=1000):
        if why := reason_code(duty.reason):
            duty.why, duty.reason = why, ""
            duties.append(duty)
    Duty.objects.bulk_update(duties, ["why", "reason"], batch_size=1000)
    handovers = []
    for handover in Handover.objects.only("pk", "open_items").iterator(chunk_size=1000):
        items = [item_code(item) for item in handover.open_items]
        if items != handover.open_items:
            handover.open_items = items
            handovers.append(handover)
    Handover.objects.bulk_update(handovers, ["open_items"], batch_size=1000)


def to_texts(apps, schema_editor):
    Duty, Handover = apps.get_model("staff", "Duty"), apps.get_model("staff", "Handover")
    duties = []
    for duty in Duty.objects.exclude(why={}).only("pk", "why").iterator(chunk_size=1000):
        words = CHINESE_AWAY.get(duty.why.get("away"), "")
        duty.reason = CHINESE_REASONS[duty.why["code"]] % {**duty.why, "why": words}
        duties.append(duty)
    Duty.objects.bulk_update(duties, ["reason"], batch_size=1000)
    handovers = []
    for handover in Handover.objects.only("pk", "open_items").iterator(chunk_size=1000):
        handover.open_items = [
            item if "label" in item else {**item, "label": CHINESE_ITEMS[item["kind"]] % item}
            for item in handover.open_items
        ]
        handovers.append(handover)
    Handover.objects.bulk_update(handovers, ["open_items"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_leave_cancelled"),
    ]

    operations = [
        migrations.AddField(
            model_name="duty",
            name="why",
            field=models.JSONField(blank=True, default=dict, verbose_name="why"),
        ),
        migrations.AlterField(
            model_name="duty",
            name="reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="why (as written then)"),
        ),
        migrations.RunPython(to_codes, to_texts),
    ]
