import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = "/tmp/shots"
# Every wait is for a condition; this is only how long a slow, busy machine may take to meet it.
TIMEOUT_MS = 10_000
# The loaded document with htmx listening: before this, typing or clicking may reach no listener at all.
HTMX_READY = "() => document.readyState === 'complete' && typeof window.htmx === 'object'"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(width, height) → a page in a fresh context (its own cookies), closed after the test."""
    contexts = []

    def make(width=1280, height=800):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    """shot(page, name) saves a screenshot to /tmp/shots/<name>.png for a person to look at."""
    os.makedirs(SHOTS, exist_ok=True)

    def take(page, name):
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)

    return take


def seed():
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def htmx_ready(page):
    """Waits until the page has loaded and htmx is listening. Call it once the new page is known to be there
    (its URL or content awaited): the page being left was ready too."""
    page.wait_for_function(HTMX_READY)


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', "demo12345")
    page.click(".login-card button[type='submit']")
    page.wait_for_url(lambda url: "/login/" not in url)
    htmx_ready(page)
