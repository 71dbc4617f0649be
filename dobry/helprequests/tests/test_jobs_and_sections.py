"""The periodic jobs (offers expiring, closed requests minimised), the organisation page's
«Программы помощи», the lookups for those who handle requests and keep programmes, and
the person's export."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.tests.factories import UserFactory
from dobry.events.tests.factories import volunteer
from dobry.helprequests import permissions, selectors
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tasks import expire_help_offers, minimise_closed_requests
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
OFFER = HelpOffer.Status


def offer(help_request, expires_in: timedelta, status=OFFER.OFFERED, person=None):
    return HelpOffer.objects.create(
        request=help_request,
        volunteer=person or volunteer(),
        status=status,
        expires_at=timezone.now() + expires_in,
    )


# --- offers expiring ------------------------------------------------------------------------


def test_the_job_expires_only_overdue_unanswered_offers():
    help_request = HelpRequestFactory(status=S.OFFERED, volunteers_needed=3)
    overdue = offer(help_request, -timedelta(minutes=1))
    live = offer(help_request, timedelta(hours=1))
    answered = offer(help_request, -timedelta(hours=1), status=OFFER.ACCEPTED)
    assert expire_help_offers.call() == 1
    statuses = dict(help_request.offers.values_list("pk", "status"))
    assert statuses == {
        overdue.pk: OFFER.EXPIRED,
        live.pk: OFFER.OFFERED,
        answered.pk: OFFER.ACCEPTED,
    }
    help_request.refresh_from_db()
    assert help_request.status == S.OFFERED  # someone is still asked: nothing else to do
    assert expire_help_offers.call() == 0


def test_an_accepted_helper_keeps_the_request_out_of_the_queue_when_others_expire():
    help_request = HelpRequestFactory(status=S.OFFERED, volunteers_needed=2)
    offer(help_request, -timedelta(minutes=5))
    offer(help_request, timedelta(hours=1), status=OFFER.ACCEPTED)
    expire_help_offers.call()
    help_request.refresh_from_db()
    assert help_request.status == S.OFFERED
    assert help_request.offers.filter(status=OFFER.ACCEPTED).count() == 1


def test_an_overdue_offer_on_a_closed_request_just_expires(coordinator):
    help_request = HelpRequestFactory(status=S.CANCELLED)
    offer(help_request, -timedelta(minutes=1))
    assert expire_help_offers.call() == 1
    help_request.refresh_from_db()
    assert help_request.status == S.CANCELLED
    assert not help_request.offers.filter(status=OFFER.OFFERED).exists()


def test_the_minimising_job_counts_what_it_minimised(settings):
    settings.DOBRY_HELP_RETENTION_DAYS = 30
    old = HelpRequestFactory(status=S.DONE, closed_at=timezone.now() - timedelta(days=31))
    recent = HelpRequestFactory(status=S.DONE, closed_at=timezone.now() - timedelta(days=29))
    assert minimise_closed_requests.call() == 1
    assert minimise_closed_requests.call() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.recipient_name, old.recipient_phone, old.address) == ("—", "", "")
    assert recent.minimised_at is None


# --- the organisation page's programmes ----------------------------------------------------------


@pytest.fixture
def organization_with_programmes():
    organization = OrganizationFactory()
    running = ProgrammeFactory(organization=organization, name="Работает")
    finished = ProgrammeFactory(
        organization=organization, name="Закончилась", ends_on=date(2025, 6, 30)
    )
    stopped = ProgrammeFactory(organization=organization, name="Остановлена", is_active=False)
    ProgrammeFactory(name="Чужая")
    return organization, running, finished, stopped


@pytest.mark.parametrize(
    ("who", "kept"),
    [
        ("anonymous", []),
        ("outsider", []),
        ("member", []),
        ("editor", ["Закончилась", "Остановлена"]),
        ("coordinator", ["Закончилась", "Остановлена"]),
    ],
)
def test_the_section_lists_running_programmes_and_for_their_keepers_the_others(
    organization_with_programmes, who, kept
):
    from django.contrib.auth.models import AnonymousUser

    organization, running, _finished, _stopped = organization_with_programmes
    user = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "coordinator": UserFactory(is_coordinator=True),
    }.get(who)
    if user is None:
        role = Membership.Role.EDITOR if who == "editor" else Membership.Role.MEMBER
        user = MembershipFactory(organization=organization, role=role).user
    section = selectors.organization_section(organization, user)
    assert section.template == "helprequests/_organization_programmes.html"
    assert section.context["running"] == [running]
    assert sorted(p.name for p in section.context["kept"]) == kept


# --- lookups for handling requests and keeping programmes -------------------------------------


def test_staff_of_one_programme_cannot_handle_a_request_routed_to_another():
    mine, theirs = ProgrammeFactory(), ProgrammeFactory()
    staff = MembershipFactory(organization=mine.organization, role=Membership.Role.EDITOR).user
    own = HelpRequestFactory(status=S.MATCHING, programme=mine)
    public = HelpRequestFactory(status=S.MATCHING, programme=theirs)
    hidden = HelpRequestFactory(status=S.NEW, programme=theirs)
    assert permissions.get_request_to_handle(staff, own.pk) == own
    with pytest.raises(PermissionDenied):  # public, so visible, but not theirs to handle
        permissions.get_request_to_handle(staff, public.pk)
    with pytest.raises(Http404):  # not even visible
        permissions.get_request_to_handle(staff, hidden.pk)


def test_a_programme_that_does_not_exist_is_404_for_anyone(coordinator):
    with pytest.raises(Http404):
        permissions.get_programme_to_keep(coordinator, 987654)


def test_an_unverified_organisations_editors_do_not_keep_its_programmes():
    from dobry.organizations.models import Organization

    programme = ProgrammeFactory(
        organization=OrganizationFactory(status=Organization.Status.PENDING)
    )
    editor = MembershipFactory(organization=programme.organization, role=Membership.Role.OWNER).user
    with pytest.raises(PermissionDenied):
        permissions.get_programme_to_keep(editor, programme.pk)
    assert not permissions.can_add_programme(editor)


# --- the person's export ----------------------------------------------------------------------


def test_the_export_holds_ones_requests_and_offers_only(resident, outsider):
    HelpRequestFactory(
        requester=resident,
        summary="Привезти продукты",
        recipient_name="Мария Ивановна",
        address="ул. Ленина, 1",
        status=S.VERIFIED,
    )
    HelpRequestFactory(requester=outsider, summary="Чужая просьба")
    helper = volunteer()
    offer(HelpRequestFactory(summary="Проводить в поликлинику"), timedelta(hours=1), person=helper)
    section = personal_data.export_sections(resident)["help_requests"]
    assert [
        (r["summary"], r["status"], r["recipient_name"], r["address"]) for r in section["requests"]
    ] == [("Привезти продукты", "verified", "Мария Ивановна", "ул. Ленина, 1")]
    assert section["offers"] == []
    helper_section = personal_data.export_sections(helper)["help_requests"]
    assert [(o["request"], o["status"]) for o in helper_section["offers"]] == [
        ("Проводить в поликлинику", "offered")
    ]
