"""find an event → sign up → get the QR → organiser checks in and out → hours confirmed →
thank-you letter; every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD
from dobry.events.models import Registration, Shift
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import HoursEntry

from .conftest import assert_accessible, follow_menu, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_finding_an_event_to_a_thank_you_letter(page):
    # Starting soon: check-in opens DOBRY_CHECK_IN_OPENS_HOURS (2 h) before the start.
    soon = timezone.now() + timedelta(minutes=30)
    shift = ShiftFactory(
        event__title="Бабушкина школа", title="Наставник", capacity=3, starts_at=soon
    )
    shift.event.area_links.create(area="elderly")
    organiser = volunteer(email="organiser@example.org", first_name="Елена")
    MembershipFactory(
        organization=shift.event.organization, user=organiser, role=Membership.Role.EDITOR
    )
    person = volunteer(email="dima@example.org", first_name="Дмитрий", last_name="Добров")

    log_in(page, person.email, PASSWORD)
    follow_menu(page, "Мероприятия")
    assert_accessible(page)
    page.get_by_role("link", name="Бабушкина школа").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Записаться\s*:\s*Наставник")).click()
    page.get_by_text("Вы записаны!").wait_for()
    assert_accessible(page)
    registration = Registration.objects.get(user=person)
    assert registration.status == Registration.Status.CONFIRMED

    follow_menu(page, "Мои смены")
    qr = page.get_by_role("img", name=f"QR-код записи, код {registration.code}")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert_accessible(page)
    log_out(page)

    log_in(page, organiser.email, PASSWORD)
    page.goto(f"/events/{shift.event_id}/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="Отметка участников").click()
    assert_accessible(page)
    page.get_by_label("Код участника").fill(registration.code)
    page.get_by_role("button", name="Отметить приход").click()
    page.get_by_text("приход отмечен").wait_for()
    # Two hours of the shift pass: hours are only the time of the shift a person was there.
    now = timezone.now()
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=1)
    )
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=now - timedelta(hours=2))
    page.get_by_label("Код участника").fill(registration.code)
    page.get_by_role("button", name="Отметить уход").click()
    page.get_by_text("2 ч ждут подтверждения").wait_for()
    assert_accessible(page)

    page.goto(f"/volunteer/organizations/{shift.event.organization_id}/hours/")
    assert_accessible(page)
    page.get_by_label("Благодарность").fill("Спасибо, Дмитрий!")
    page.get_by_role("button", name=re.compile(r"Подтвердить\s*:\s*Дмитрий Добров")).click()
    page.get_by_text("Часы подтверждены.").wait_for()
    assert HoursEntry.objects.get(user=person).status == HoursEntry.Status.CONFIRMED
    log_out(page)

    log_in(page, person.email, PASSWORD)
    page.goto("/volunteer/book/")
    assert_accessible(page)
    page.get_by_role("link", name="благодарность").first.click()
    page.get_by_role("heading", name="Благодарственное письмо").wait_for()
    expect(page.get_by_text("Спасибо, Дмитрий!")).to_be_visible()
    assert_accessible(page)
