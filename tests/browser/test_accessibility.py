"""Issue 19: key pages pass axe (WCAG 2.2 A/AA) and show a visible focus in normal mode and
in every scheme of the mode for the visually impaired; the size steps enlarge everything;
nothing scrolls sideways at 320 px; images that carry function stay when images are hidden.

The sweep of the low-vision schemes runs on PostgreSQL only (CI runs the suite on both
databases; the pages do not differ between them), to keep CI time down.
"""

import itertools
import re

import pytest
from django.db import connection
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import NewsItem
from dobry.communications.tests.factories import organization_item, png
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.grants.services import applications
from dobry.grants.tests.factories import applicant_organization, open_competition
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .conftest import assert_accessible, set_low_vision, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MODES = {
    "normal": None,
    "black-on-white": {"scheme": "bw", "size": "1"},
    "white-on-black": {"scheme": "wb", "size": "2", "spacing": "2"},
    "blue": {"scheme": "blue", "size": "3", "spacing": "3"},
}
TAB_STOPS = 400  # a bound on the walk only: it ends where focus comes back to a seen element


def _key_data():
    shift = ShiftFactory(event__title="Бабушкина школа", title="Наставник")
    leader = UserFactory(first_name="Елена")
    MembershipFactory(
        organization=shift.event.organization, user=leader, role=Membership.Role.OWNER
    )
    person = volunteer(first_name="Дмитрий", last_name="Добров")
    RegistrationFactory(shift=shift, user=person)
    coordinator = UserFactory(is_coordinator=True)
    news = organization_item(
        shift.event.organization,
        title="Ищем наставников",
        body="<p>Приходите в <strong>Бабушкину школу</strong>.</p>",
        cover_alt="Бабушка читает внукам",
        tags=["наставники"],
    )
    news.cover.save("cover.png", png(size=(1200, 630)), save=True)
    return shift, person, coordinator


def _grant_application_form():
    """The longest form of the site: a draft application (77 tab stops when written)."""
    competition = open_competition(UserFactory(is_official=True))
    organization, leader = applicant_organization()
    draft = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    return leader, reverse("grants:application_edit", args=[draft.pk])


def _pages(shift):
    anonymous = [
        "/",
        "/events/",
        shift.event.get_absolute_url(),
        "/organizations/",
        shift.event.organization.get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
        reverse("news:list"),
        NewsItem.objects.get(title="Ищем наставников").get_absolute_url(),
    ]
    volunteer_pages = [
        reverse("events:my"),
        reverse("resources:ask"),
        reverse("volunteering:claim"),
    ]
    coordinator_pages = [
        reverse("resources:support"),
        reverse("resources:queue"),
        reverse("news:create"),
        reverse("news:desk"),
    ]
    return anonymous, volunteer_pages, coordinator_pages


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2.2 contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rgb(css: str) -> tuple[float, float, float] | None:
    match = re.search(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css)
    if not match or (match.group(4) is not None and float(match.group(4)) == 0):
        return None
    return float(match.group(1)), float(match.group(2)), float(match.group(3))


# What the focused element shows: its outline, the ring drawn by box-shadow, its own
# background and the background around it (the first opaque one up the tree).
FOCUS_PROBE = """() => {
  const el = document.activeElement;
  // Focus inside a browser's own widget (the picker of a date field) is drawn by the browser.
  if (!el || el === document.body || !el.matches(':focus')) return null;
  // Focus is back on an element already checked: the same date field (Tab walks through its
  // day, month and year) or, when it is the first one, the walk has come round.
  if (el.dataset.focusSeen) return {seen: el.dataset.focusSeen};
  window.focusWalk = (window.focusWalk || 0) + 1;
  el.dataset.focusSeen = String(window.focusWalk);
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!/rgba\\(.*,\\s*0\\)$/.test(colour) && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    name: el.tagName + ' ' + (el.innerText || el.value || el.name || '').trim().slice(0, 40),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    ring: style.boxShadow,
    own: background(el),
    around: background(el.parentElement),
    visible: box.width > 0 && box.height > 0,
  };
}"""


def focus_problems(page, stops: int = TAB_STOPS) -> list[str]:
    """Tab through every tab stop of the page, until focus comes back to one already seen;
    name each focused element whose indicator is missing or below 3:1 (WCAG 2.4.7, 1.4.11):
    the outline must stand out from the background around the element, and the outline or
    the ring from the element itself."""
    problems = []
    page.locator("body").focus()
    walked = 0
    for walked in range(stops):  # noqa: B007 — the count is checked after the loop
        page.keyboard.press("Tab")
        probe = page.evaluate(FOCUS_PROBE)
        if probe is not None and "seen" in probe:
            if probe["seen"] == "1":
                break
            continue
        if probe is None or not probe["visible"]:
            continue
        outline = _rgb(probe["outlineColor"])
        ring = _rgb(probe["ring"]) if probe["ring"] != "none" else None
        around, own = _rgb(probe["around"]), _rgb(probe["own"])
        if probe["outlineStyle"] == "none" or probe["outlineWidth"] < 2 or outline is None:
            problems.append(f"{probe['name']}: no outline")
            continue
        against_background = contrast(outline, around)
        against_element = max(contrast(colour, own) for colour in (outline, ring) if colour)
        if against_background < 3 or against_element < 3:
            problems.append(
                f"{probe['name']}: {against_background:.2f}:1 against the background, "
                f"{against_element:.2f}:1 against the element"
            )
    assert walked < stops - 1, f"{page.url}: focus never came round in {stops} tab stops"
    return problems


def _visit(context, url: str, *, focus: bool) -> list[str]:
    page = context.new_page()
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert_accessible(page)
    problems = [f"{url} {problem}" for problem in focus_problems(page)] if focus else []
    page.close()
    return problems


@pytest.mark.sweep
@pytest.mark.parametrize("mode", MODES)
def test_key_pages_pass_axe_and_show_a_visible_focus(browser, live_server, mode):
    if mode != "normal" and connection.vendor != "postgresql":
        pytest.skip("the sweep of the low-vision schemes runs once, on PostgreSQL")
    shift, person, coordinator = _key_data()
    anonymous, volunteer_pages, coordinator_pages = _pages(shift)
    applicant, application_form = _grant_application_form()
    problems = []
    for user, urls in (
        (None, anonymous),
        (person, volunteer_pages),
        (coordinator, coordinator_pages),
        (applicant, [application_form]),
    ):
        context = browser.new_context(locale="ru-RU", base_url=live_server.url)
        if MODES[mode]:
            set_low_vision(context, live_server.url, **MODES[mode])
        if user:
            sign_in(context, live_server.url, user)
        for url in urls:
            problems += _visit(
                context,
                url,
                focus=url in ("/", "/events/", "/accounts/signup/") or url == urls[0],
            )
        context.close()
    assert not problems, "\n".join(problems)


SIZE_PROBE = """(selectors) => Object.fromEntries(Object.entries(selectors).map(
  ([name, selector]) => [name, parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)]
))"""


def test_every_size_step_enlarges_headings_card_titles_buttons_and_fields(browser, live_server):
    ShiftFactory(event__title="Бабушкина школа")
    sizes = []
    for step in (None, "1", "2", "3"):
        context = browser.new_context(locale="ru-RU", base_url=live_server.url)
        if step:
            set_low_vision(context, live_server.url, size=step)
        page = context.new_page()
        page.goto("/")
        measured = page.evaluate(SIZE_PROBE, {"h2": "main h2", "body": "main p"})
        page.goto("/events/")
        measured |= page.evaluate(
            SIZE_PROBE,
            {
                "h1": "main h1",
                "card title": ".org-card h2",
                "button": "main button.btn",
                "input": "main input[type=search], main input#id_q",
                "select": "main select",
            },
        )
        sizes.append(measured)
        context.close()
    for smaller, larger in itertools.pairwise(sizes):
        for element, size in smaller.items():
            assert larger[element] > size, (element, [step[element] for step in sizes])
    for step in sizes:  # the hierarchy holds at every step
        assert step["h1"] > step["h2"] > step["body"], step


# How far the page scrolls sideways, and the elements that stick out (outside scroll boxes).
OVERFLOW_PROBE = """() => {
  const width = document.documentElement.clientWidth;
  const sideways = document.documentElement.scrollWidth - width;
  if (sideways <= 0) return null;
  const inScrollBox = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScrollBox(el))
    .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > width + 1))
    .slice(0, 3)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
      + (el.name ? '[name=' + el.name + ']' : '') + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  return sideways + ' px: ' + culprits.join(', ');
}"""


@pytest.mark.parametrize(
    "low_vision", [None, {"size": "3", "spacing": "3", "scheme": "bw"}], ids=["normal", "largest"]
)
def test_key_pages_do_not_scroll_sideways_at_320_px(browser, live_server, low_vision):
    shift, person, coordinator = _key_data()
    anonymous, volunteer_pages, coordinator_pages = _pages(shift)
    applicant, application_form = _grant_application_form()
    # Besides the key pages: the widest content of each role (grids, tables, filter forms).
    anonymous += ["/reports/public/", reverse("helprequests:public"), reverse("grants:list")]
    volunteer_pages += [
        reverse("volunteering:profile"),
        reverse("volunteering:book"),
        reverse("helprequests:submit"),
    ]
    coordinator_pages += [
        reverse("reports:dashboard"),
        reverse("reports:reach"),
        reverse("helprequests:queue"),
        reverse("helprequests:batch"),
        reverse("audit_log"),
    ]
    overflowing = []
    for user, urls in (
        (None, anonymous),
        (person, volunteer_pages),
        (coordinator, coordinator_pages),
        (applicant, [application_form]),
    ):
        context = browser.new_context(
            locale="ru-RU", base_url=live_server.url, viewport={"width": 320, "height": 640}
        )
        if low_vision:
            set_low_vision(context, live_server.url, **low_vision)
        if user:
            sign_in(context, live_server.url, user)
        page = context.new_page()
        for url in urls:
            assert page.goto(url).ok, url
            page.wait_for_load_state("load")
            sideways = page.evaluate(OVERFLOW_PROBE)
            if sideways:
                overflowing.append(f"{url}: {sideways}")
        context.close()
    assert not overflowing, overflowing


def test_hidden_images_keep_the_check_in_qr_code(browser, live_server):
    _shift, person, _coordinator = _key_data()
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    set_low_vision(context, live_server.url, images=False)
    sign_in(context, live_server.url, person)
    page = context.new_page()
    page.goto("/events/my/")
    assert "lv-no-images" in page.locator("body").get_attribute("class")
    qr = page.get_by_role("img", name=re.compile("QR-код записи"))
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 100
    context.close()


def test_the_spacing_chosen_in_the_panel_is_applied_and_remembered(page):
    page.goto("/events/")
    page.get_by_role("button", name="Версия для слабовидящих").click()
    page.get_by_role("button", name="большой").click()
    page.goto("/organizations/")
    spacing = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('main p'));"
        " return [parseFloat(s.letterSpacing) / parseFloat(s.fontSize),"
        " parseFloat(s.wordSpacing) / parseFloat(s.fontSize)]; }"
    )
    assert spacing[0] >= 0.12 - 1e-3  # WCAG 1.4.12: letters 0.12 em
    assert spacing[1] >= 0.16 - 1e-3  # words 0.16 em
    assert page.get_by_role("button", name="большой").get_attribute("aria-pressed") == "true"
    assert_accessible(page)


def test_a_long_unbroken_name_wraps_instead_of_scrolling_sideways(browser, live_server):
    """An attacker's pass found a name without spaces pushing /organizations/ and the home
    page 90 px sideways at 375 px: names break anywhere rather than widen the page."""
    OrganizationFactory(
        name='=HYPERLINK("http://evil.example";"Орг")' + "Ж" * 40, short_name="Ж" * 60
    )
    context = browser.new_context(
        locale="ru-RU", base_url=live_server.url, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    for url in ("/", reverse("organizations:catalogue")):
        page.goto(url)
        assert page.evaluate(OVERFLOW_PROBE) is None, url
    context.close()
