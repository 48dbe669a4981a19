"""A slow SMS gateway: every message it is given hangs for 30 s and then fails. Sending gives up on it after
SMS_GATEWAY_TIMEOUT and tries again later and later (NOTIFICATION_RETRY_SECONDS, doubled), and marks the message
failed after its last attempt, where the notification admin shows it; meanwhile the SLA sweep (its own worker,
`-Q celery`) and the web answer as fast as before the gateway hung.

The drill's settings make it short: a 3 s timeout, 3 attempts, waits of 2 s then 4 s, and beat's sending every
second (shortened in the database, as in the admin).

    .venv/bin/python -m drills.run slow_gateway
"""

import datetime as dt
import http.cookiejar
import re
import statistics
import urllib.parse
import urllib.request

from django.utils import timezone

from drills import seed
from drills.stage import Stage, beat_schedule, send_task, wait_until
from hall.health import SLA_SWEEP
from hall.models import Heartbeat, Notification, NotificationChannel, SlaLevel, User
from harness.people import token
from harness.sms_gateway import SmsGateway
from harness.web import request

NAME = "slow_gateway"
TITLE = "A slow SMS gateway"
LIMIT = 240
HANG = 30
TIMEOUT, ATTEMPTS, RETRY = 3, 3, 2
SWEEPS, REQUESTS = 3, 30
ADMIN_PASSWORD = "drill-admin-password"


def run(stage: Stage) -> None:
    figures = stage.figures
    staff = seed.staffed_hall("drill")
    clerk = token(staff.clerks[0])
    User.objects.create_superuser("drill-admin", password=ADMIN_PASSWORD)

    with SmsGateway() as gateway:
        env = stage.env(
            SMS_NOTIFICATION_BACKEND="hall.notifications.HttpSmsBackend",
            SMS_GATEWAY_URL=gateway.url,
            SMS_GATEWAY_TIMEOUT=str(TIMEOUT),
            NOTIFICATION_MAX_ATTEMPTS=str(ATTEMPTS),
            NOTIFICATION_RETRY_SECONDS=str(RETRY),
        )
        stage.worker("sweeper", env, queues="celery")
        stage.worker("sender", env, queues="notifications")
        stage.beat("beat", env)
        port = stage.web(env)
        stage.ready()
        beat_schedule({"deliver-notifications": 1}, first_at=timezone.now())
        figures.note("web, a worker for the sweep, one for sending and beat started")

        before = {"sweeps": sweep_seconds(figures), "web": request_seconds(figures, port, clerk, staff.hall.pk)}
        figures.note(f"before: {summary(before)}")

        gateway.answer(status=500, delay=HANG)
        seed.due_repairs(staff, [(SlaLevel.BREACHED, timezone.now() - dt.timedelta(minutes=1))])
        send_task("hall.tasks.sla_sweep")
        figures.requests += 1
        wait_until(lambda: gateway.received, 30, "the first SMS at the gateway")
        figures.note(f"the gateway hangs {HANG} s on each SMS, then answers 500")

        during = {"sweeps": sweep_seconds(figures), "web": request_seconds(figures, port, clerk, staff.hall.pk)}
        sms = Notification.objects.filter(channel=NotificationChannel.SMS)
        still_trying = sms.filter(failed_at__isnull=True).count()
        figures.note(f"while it hangs: {summary(during)}")
        figures.check(still_trying > 0, "the gateway was no longer being tried while the sweeps and requests ran")
        check_not_slowed(figures, before, during)

        wait_until(lambda: not sms.filter(failed_at__isnull=True, sent_at__isnull=True).exists(), 90,
                   "every SMS failed after its attempts", every=0.5)  # fmt: skip
        check_attempts(figures, gateway, list(sms))
        check_admin_shows(figures, port, list(sms))


def sweep_seconds(figures) -> list[float]:
    """How long sweeps take from being queued to their heartbeat, one after the other."""
    seconds = []
    for _ in range(SWEEPS):
        sent = send_task("hall.tasks.sla_sweep")
        beat = wait_until(lambda sent=sent: Heartbeat.objects.filter(name=SLA_SWEEP, at__gte=sent).first(), 30,
                          "a sweep", every=0.01)  # fmt: skip
        seconds.append((beat.at - sent).total_seconds())
    figures.requests += SWEEPS
    return seconds


def request_seconds(figures, port: int, clerk: str, hall_id: int) -> list[float]:
    """A clerk registering repairs and reading the list, one request after the other; an answer but 2xx counts."""
    seconds = []
    for n in range(REQUESTS):
        if n % 2:
            status, _, ms = request(port, "GET", "/api/repairs/", clerk, timeout=HANG)
        else:
            body = {"hall": hall_id, "customer_name": "客户", "phone": f"1380000{n:04d}", "address": f"人民路 {n} 号",
                    "fault": "outage", "description": "整栋楼停电", "urgency": 2}  # fmt: skip
            status, _, ms = request(port, "POST", "/api/repairs/", clerk, body, timeout=HANG)
        figures.check(200 <= status < 300, f"a request answered {status}")
        seconds.append(ms / 1000)
    figures.requests += REQUESTS
    return seconds


def summary(measured: dict) -> str:
    sweeps, web = measured["sweeps"], measured["web"]
    return (
        f"sweeps {max(sweeps):.2f} s at most; requests {statistics.median(web) * 1000:.0f} ms median,"
        f" {max(web) * 1000:.0f} ms at most"
    )


def check_not_slowed(figures, before: dict, during: dict) -> None:
    """A sweep or a request that waited for the gateway would take its timeout at least."""
    figures.check(max(during["sweeps"]) < min(TIMEOUT, max(before["sweeps"]) + 1), "the sweep was slowed down")
    web = sorted(during["web"])
    figures.check(
        statistics.median(web) < 2 * statistics.median(before["web"]) + 0.05 and web[int(len(web) * 0.9)] < TIMEOUT,
        "the web was slowed down",
    )


def check_attempts(figures, gateway: SmsGateway, rows: list[Notification]) -> None:
    """Each SMS tried ATTEMPTS times, waiting longer each time, then marked failed with its error."""
    figures.checked += len(rows)
    for row in rows:
        row.refresh_from_db()
        times = gateway.times_of(row.pk)
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        waits = [TIMEOUT + RETRY * 2**n for n in range(len(gaps))]
        figures.faults += len(times)
        figures.lost += row.failed_at is None and row.sent_at is None
        figures.duplicated += max(0, len(times) - ATTEMPTS)
        figures.check(len(times) == ATTEMPTS, f"SMS {row.pk} was posted {len(times)} times, not {ATTEMPTS}")
        figures.check(all(gap >= wait for gap, wait in zip(gaps, waits, strict=True)), f"SMS {row.pk} retried early")
        figures.check(row.failed_at is not None and row.attempts == ATTEMPTS, f"SMS {row.pk} not marked failed")
        figures.check("did not answer" in row.last_error, f"SMS {row.pk}'s error is {row.last_error!r}")
        figures.note(
            f"SMS {row.pk}: {len(times)} attempts, {' s, '.join(f'{gap:.1f}' for gap in gaps)} s apart,"
            f" failed: {row.last_error!r}"
        )


def check_admin_shows(figures, port: int, rows: list[Notification]) -> None:
    """The notification admin, signed in as an administrator, lists them under 发送失败 (failed)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = f"http://127.0.0.1:{port}"
    login = opener.open(f"{base}/admin/login/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = {"username": "drill-admin", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": csrf, "next": "/admin/"}
    opener.open(f"{base}/admin/login/", urllib.parse.urlencode(form).encode(), timeout=30).read()
    page = opener.open(f"{base}/admin/hall/notification/?delivery=failed", timeout=30).read().decode()
    figures.requests += 3
    shown = [row.pk for row in rows if f"/admin/hall/notification/{row.pk}/change/" in page]
    marked = page.count('<td class="field-delivery">发送失败</td>')
    figures.check(len(shown) == len(rows) == marked, f"the admin lists {len(shown)} of {len(rows)} failed SMS")
    figures.note(f"the admin lists {len(shown)} of {len(rows)} SMS as 发送失败 (failed), with their error")
