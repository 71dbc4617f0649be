"""Hours claimed by volunteers and the organisation's decisions on them: what a claim must
hold, who hears of it, who may confirm, adjust or decline, and what each decision writes."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from dobry.communications.models import Notification
from dobry.core.clock import local_moment
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _half_past_midnight(freeze_now):
    """06:00 in the city: the UTC date is still the day before (23:00 UTC), and six hours
    of the city's day have passed — enough for the claims of today below."""
    freeze_now(local_moment(TODAY, time(6, 0)))


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def owner(organization):
    user = volunteer(first_name="Ольга", last_name="Владелец")
    MembershipFactory(organization=organization, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def editor(organization):
    user = volunteer(first_name="Елена", last_name="Редактор")
    MembershipFactory(organization=organization, user=user, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def member(organization):
    user = volunteer(first_name="Мирон", last_name="Участник")
    MembershipFactory(organization=organization, user=user, role=Membership.Role.MEMBER)
    return user


def claim(user, organization, **kwargs):
    fields = {"day": TODAY, "hours": "3", "description": "Разбирал одежду на складе"}
    return services.hours_claim(user=user, organization=organization, **(fields | kwargs))


# --- claims -------------------------------------------------------------------------


def test_a_claim_for_the_local_today_is_accepted_at_half_past_midnight(organization):
    entry = claim(volunteer(), organization, area="social")
    assert (entry.date, entry.hours, entry.claimed_hours, entry.status, entry.source) == (
        TODAY,
        Decimal("3.00"),
        Decimal("3.00"),
        HoursEntry.Status.PENDING,
        HoursEntry.Source.CLAIM,
    )


def test_a_claim_for_the_local_tomorrow_is_refused(organization):
    with pytest.raises(DomainError) as refused:
        claim(volunteer(), organization, day=TODAY + timedelta(days=1))
    assert refused.value.field_errors == {"day": ["Дата в будущем."]}
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("hours", "field_error"),
    [
        ("три", "Нужно число."),
        ("", "Нужно число."),
        ("0", "От 0,25 до 24."),
        ("-2", "От 0,25 до 24."),
        ("0.24", "От 0,25 до 24."),
        ("24.01", "От 0,25 до 24."),
        ("1.333", "Не больше двух знаков после запятой."),
        ("NaN", "Нужно число."),
        ("Infinity", "Нужно число."),
    ],
)
def test_hours_out_of_range_or_not_a_number_are_refused(organization, hours, field_error):
    with pytest.raises(DomainError) as refused:
        claim(volunteer(), organization, hours=hours)
    assert refused.value.field_errors == {"hours": [field_error]}
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(("hours", "kept"), [("24", "24.00"), ("0.25", "0.25"), ("1.5", "1.50")])
def test_hours_within_range_are_kept_to_the_hundredth(organization, hours, kept):
    yesterday = TODAY - timedelta(days=1)  # a whole day: 24 h fit
    assert claim(volunteer(), organization, day=yesterday, hours=hours).hours == Decimal(kept)


def test_a_claim_for_today_holds_no_more_than_the_hours_since_midnight(organization):
    """At 06:00 in the city only six hours of today have passed: 6 fit, 6.25 do not."""
    assert claim(volunteer(), organization, hours="6").hours == Decimal("6.00")
    with pytest.raises(DomainError) as refused:
        claim(volunteer(), organization, hours="6.25")
    assert refused.value.field_errors == {
        "hours": [
            "Сегодня по местному времени прошло только 6 ч, из них уже учтено 0 ч: "
            "можно добавить не больше 6 ч."
        ]
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [({"description": "   "}, "description"), ({"area": "astrology"}, "area")],
)
def test_a_claim_needs_a_description_and_a_known_area(organization, change, field):
    with pytest.raises(DomainError) as refused:
        claim(volunteer(), organization, **change)
    assert list(refused.value.field_errors) == [field]
    assert not HoursEntry.objects.exists()


def test_a_claim_is_told_to_the_owners_and_editors_only(organization, owner, editor, member):
    person = volunteer()
    entry = claim(person, organization, description="  Разбирал одежду  ")
    assert entry.description == "Разбирал одежду"
    told = set(Notification.objects.filter(kind="hours_claimed").values_list("user", flat=True))
    assert told == {owner.pk, editor.pk}
    logged = AuditEntry.objects.get(action="hours.record")
    assert (logged.actor_id, logged.data) == (person.pk, {"hours": "3.00", "source": "claim"})


# --- decisions -----------------------------------------------------------------------


@pytest.fixture
def pending(organization):
    return claim(volunteer(first_name="Вера", last_name="Волонтёрова"), organization)


def test_confirming_as_claimed_needs_no_reason_and_thanks_the_volunteer(editor, pending):
    entry = services.hours_confirm(actor=editor, entry=pending, thanks="  Спасибо, Вера!  ")
    assert (entry.status, entry.hours, entry.thanks, entry.reason) == (
        HoursEntry.Status.CONFIRMED,
        Decimal("3.00"),
        "Спасибо, Вера!",
        "",
    )
    assert (entry.decided_by, entry.decided_at) == (editor, local_moment(TODAY, time(6, 0)))
    assert Notification.objects.filter(user=pending.user, kind="hours_confirmed").count() == 1


def test_confirming_with_the_same_hours_given_again_is_not_an_adjustment(editor, pending):
    entry = services.hours_confirm(actor=editor, entry=pending, hours="3.00")
    assert entry.status == HoursEntry.Status.CONFIRMED


def test_an_adjustment_keeps_what_was_claimed_and_logs_both(editor, pending):
    entry = services.hours_decide(
        actor=editor, entry=pending, decision="adjust", hours="2.5", reason="Ушла в 12:30"
    )
    assert (entry.hours, entry.claimed_hours, entry.reason) == (
        Decimal("2.50"),
        Decimal("3.00"),
        "Ушла в 12:30",
    )
    logged = AuditEntry.objects.get(action="hours.confirm")
    assert logged.data == {"hours": "2.50", "claimed": "3.00", "reason": "Ушла в 12:30"}


@pytest.mark.parametrize("hours", ["0", "25", "много"])
def test_an_adjustment_out_of_range_is_refused_and_the_entry_stays_pending(editor, pending, hours):
    with pytest.raises(DomainError):
        services.hours_confirm(actor=editor, entry=pending, hours=hours, reason="Проверили")
    pending.refresh_from_db()
    assert (pending.status, pending.hours) == (HoursEntry.Status.PENDING, Decimal("3.00"))


def test_declining_tells_the_volunteer_the_reason(owner, pending):
    entry = services.hours_decide(
        actor=owner, entry=pending, decision="decline", reason="  В этот день склад закрыт  "
    )
    assert (entry.status, entry.reason, entry.decided_by) == (
        HoursEntry.Status.DECLINED,
        "В этот день склад закрыт",
        owner,
    )
    notice = Notification.objects.get(user=pending.user, kind="hours_declined")
    assert "В этот день склад закрыт" in notice.body


def test_a_coordinator_decides_any_organisations_hours(coordinator, pending):
    assert services.hours_confirm(actor=coordinator, entry=pending).decided_by == coordinator


@pytest.mark.parametrize("decision", ["confirm", "decline"])
def test_a_plain_member_of_the_organisation_decides_nothing(member, pending, decision):
    with pytest.raises(DomainError):
        services.hours_decide(actor=member, entry=pending, decision=decision, reason="Нет")
    pending.refresh_from_db()
    assert pending.status == HoursEntry.Status.PENDING


def test_an_editor_cannot_confirm_their_own_hours_but_may_withdraw_them(editor, organization):
    mine = claim(editor, organization)
    with pytest.raises(DomainError) as refused:
        services.hours_confirm(actor=editor, entry=mine)
    assert "Свои часы подтверждает другой человек" in refused.value.message
    declined = services.hours_decline(actor=editor, entry=mine, reason="Ошиблась датой")
    assert declined.status == HoursEntry.Status.DECLINED


def test_another_editor_confirms_an_editors_hours(editor, owner, organization):
    mine = claim(editor, organization)
    assert services.hours_confirm(actor=owner, entry=mine).status == HoursEntry.Status.CONFIRMED


def test_a_decision_on_a_decided_entry_is_refused_without_a_second_notice(editor, pending):
    services.hours_confirm(actor=editor, entry=pending)
    with pytest.raises(InvalidTransition):
        services.hours_decline(actor=editor, entry=pending, reason="Передумали")
    pending.refresh_from_db()
    assert pending.status == HoursEntry.Status.CONFIRMED
    assert Notification.objects.filter(user=pending.user).count() == 1


def test_hours_of_another_organisation_are_not_the_editors_to_decide(editor):
    elsewhere = claim(volunteer(), OrganizationFactory())
    with pytest.raises(DomainError):
        services.hours_confirm(actor=editor, entry=elsewhere)


# --- the decision page -------------------------------------------------------------------


def decide(client, entry, **data):
    return client.post(f"/volunteer/hours/{entry.pk}/decide/", data, follow=True)


def test_the_page_says_confirmed_and_returns_to_the_queue(login_as, editor, pending):
    response = decide(login_as(editor), pending, decision="confirm")
    assert (
        response.redirect_chain[-1][0]
        == f"/volunteer/organizations/{pending.organization_id}/hours/"
    )
    assert "Часы подтверждены." in response.content.decode()


@pytest.mark.parametrize("hours", ["0.1", "30", "два"])
def test_the_page_refuses_bad_hours_with_a_message(login_as, editor, pending, hours):
    response = decide(login_as(editor), pending, decision="adjust", hours=hours, reason="x")
    assert "Проверьте число часов." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == HoursEntry.Status.PENDING


def test_the_page_refuses_an_unknown_decision_with_a_400_naming_it(login_as, editor, pending):
    response = decide(login_as(editor), pending, decision="approve-all")
    assert response.status_code == 400
    assert "«decision»" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == HoursEntry.Status.PENDING


def test_the_page_refuses_an_adjustment_without_a_reason(login_as, editor, pending):
    response = decide(login_as(editor), pending, decision="adjust", hours="1")
    assert "Объясните, почему часы изменены." in response.content.decode()
    pending.refresh_from_db()
    assert pending.hours == Decimal("3.00")


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("outsider", 403), ("member", 403)]
)
def test_deciding_is_refused_to_people_who_do_not_edit(
    client, login_as, request, pending, who, status
):
    caller = client if who == "anonymous" else login_as(request.getfixturevalue(who))
    response = caller.post(f"/volunteer/hours/{pending.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == status
    pending.refresh_from_db()
    assert pending.status == HoursEntry.Status.PENDING


def test_deciding_a_missing_entry_is_a_404(login_as, editor):
    assert login_as(editor).post("/volunteer/hours/987654/decide/").status_code == 404


def test_deciding_needs_a_post(login_as, editor, pending):
    assert login_as(editor).get(f"/volunteer/hours/{pending.pk}/decide/").status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("editor", 200), ("coordinator", 200)],
)
def test_the_queue_answers_each_role(client, login_as, request, organization, who, status):
    caller = client if who == "anonymous" else login_as(request.getfixturevalue(who))
    assert caller.get(f"/volunteer/organizations/{organization.pk}/hours/").status_code == status


def test_the_queue_lists_only_pending_hours_of_this_organisation_oldest_first(
    login_as, editor, organization
):
    old = claim(volunteer(first_name="Старая"), organization, day=TODAY - timedelta(days=5))
    new = claim(volunteer(first_name="Новая"), organization)
    services.hours_confirm(
        actor=editor, entry=claim(volunteer(first_name="Решённая"), organization)
    )
    claim(volunteer(first_name="Чужая"), OrganizationFactory())
    page = list(
        login_as(editor).get(f"/volunteer/organizations/{organization.pk}/hours/").context["page"]
    )
    assert page == [old, new]


# --- the claim page -----------------------------------------------------------------------


def test_the_claim_page_offers_only_verified_organisations(login_as, organization):
    unverified = OrganizationFactory(status=Organization.Status.PENDING)
    response = login_as(volunteer()).post(
        "/volunteer/claim/",
        {"organization": unverified.pk, "day": TODAY.isoformat(), "hours": "2", "description": "x"},
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize("hours", ["0.2", "24.5", "abc"])
def test_the_claim_page_refuses_bad_hours_and_keeps_what_was_typed(login_as, organization, hours):
    response = login_as(volunteer()).post(
        "/volunteer/claim/",
        {
            "organization": organization.pk,
            "day": TODAY.isoformat(),
            "hours": hours,
            "description": "Склад",
        },
    )
    assert response.status_code == 200
    assert "hours" in response.context["form"].errors
    assert "Склад" in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_the_claim_page_sends_the_claim_to_the_record_book(login_as, organization, owner):
    response = login_as(volunteer()).post(
        "/volunteer/claim/",
        {
            "organization": organization.pk,
            "day": TODAY.isoformat(),
            "hours": "1.75",
            "description": "Склад",
            "area": "social",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/volunteer/book/"
    assert "Часы отправлены организации на подтверждение." in response.content.decode()
    entry = HoursEntry.objects.get()
    assert (entry.hours, entry.area) == (Decimal("1.75"), "social")
