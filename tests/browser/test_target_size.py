"""Targets at least 24 × 24 CSS px (WCAG 2.2 SC 2.5.8, issue 11): the footer's links were
19 px tall and the report period's selects 23 px. Measured in Chromium on the pages where
they were found, with and without the low-vision mode's spacing."""

import pytest
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TARGETS = "footer a, form select, form input:not([type=hidden]), form button"
# The size of each visible target that is smaller than 24 px either way.
SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null)
  .map((el) => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, box]) => box.height < 24 || box.width < 24)
  .map(([html, box]) => `${html}: ${Math.round(box.width)}×${Math.round(box.height)}`)"""


def test_footer_links_and_report_fields_are_at_least_24_px(browser, live_server):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    sign_in(context, live_server.url, UserFactory(is_coordinator=True))
    page = context.new_page()
    small = []
    for url in ("/", reverse("reports:dashboard"), reverse("reports:infrastructure")):
        assert page.goto(url).ok, url
        page.wait_for_load_state("load")
        small += [f"{url}: {found}" for found in page.evaluate(SMALL_TARGETS, TARGETS)]
    context.close()
    assert small == [], "\n".join(small)
