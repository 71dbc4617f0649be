"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so we launch /usr/bin/chromium
(installed by .ci/run). Every page a test visits is checked with axe-core.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("DOBRY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("DOBRY_SKIP_BROWSER_TESTS") == "1":
            pytest.skip("browser tests skipped: DOBRY_SKIP_BROWSER_TESTS=1 and no Chromium")
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium, as .ci/run "
            "does) or set DOBRY_SKIP_BROWSER_TESTS=1 to skip the browser tests knowingly."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the session;
    # the ORM calls of the tests and of database teardown are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


_axe = Axe()

# WCAG 2.2 level A and AA, as the accessibility issue asks: every impact counts.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page) -> None:
    """No axe-core violation of WCAG 2.2 A/AA, of any impact, on the page once it has loaded.

    A journey step may wait only for a text, which appears while the stylesheets are
    still loading; judging colour contrast then would read an unstyled header.
    """
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = results.response["violations"]
    log = os.environ.get("DOBRY_AXE_LOG")
    if log:
        with open(log, "a") as out:
            for v in bad:
                out.write(
                    f"{page.url}\t{v['id']}\t{v['impact']}\t{len(v['nodes'])}\t{v['nodes'][0]['html'][:150]}\n"
                )
        return
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["html"][:120] for node in v["nodes"][:3])
        for v in bad
    )
    assert not bad, f"axe violations on {page.url}:\n{details}"


def log_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Адрес электронной почты:").fill(email)
    page.get_by_label("Пароль:").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page) -> None:
    page.get_by_role("button", name="Выйти").click()


def follow_menu(page, name: str) -> None:
    """Click a link of the main menu, opening the role group that holds it first, and wait
    for the page it opens (reading the old page's rows right after the click was a race)."""
    nav = page.get_by_role("navigation", name="Основное меню")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        hidden_link = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        nav.locator(".nav-group").filter(has=hidden_link).locator("summary").click()
    with page.expect_navigation():
        link.click()


def sign_in(context, base_url: str, user) -> None:
    """Give a browser context the session of `user` without visiting the login page."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def set_low_vision(context, base_url: str, **settings) -> None:
    """Turn the mode for the visually impaired on in a browser context, with `settings`
    (size, scheme, images, spacing) as the settings panel would store them."""
    from dobry.core import accessibility

    value = accessibility.LowVision(enabled=True, **settings).encode()
    context.add_cookies([{"name": accessibility.COOKIE, "value": value, "url": base_url}])
