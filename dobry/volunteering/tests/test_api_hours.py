"""The organisation's hours in the API: the queue (`GET /organizations/{id}/hours/pending`)
and the decisions (`POST /hours/{id}/confirm|adjust|decline`) are the page
`/volunteer/organizations/{id}/hours/` and its buttons — the same permission functions,
selector, service and HOURS_WORKFLOW — with each refusal a client must read."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.communications.models import Notification
from dobry.core.clock import local_moment
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

pytestmark = pytest.mark.django_db
H = HoursEntry.Status
TODAY = date(2026, 3, 10)
JSON = "application/json"


@pytest.fixture(autouse=True)
def _half_past_midnight(freeze_now):
    """06:00 in the city: the UTC date is still the day before (23:00 UTC), and six hours
    of the city's day have passed — enough for the claims of today below."""
    freeze_now(local_moment(TODAY, time(6, 0)))


@pytest.fixture
def organization():
    return OrganizationFactory()


def _member(organization, role, **names):
    user = volunteer(**names)
    MembershipFactory(organization=organization, user=user, role=role)
    return user


@pytest.fixture
def editor(organization):
    return _member(organization, Membership.Role.EDITOR, first_name="Елена", last_name="Редактор")


@pytest.fixture
def member(organization):
    return _member(organization, Membership.Role.MEMBER, first_name="Мирон", last_name="Участник")


def claim(user, organization, day=TODAY, hours="3"):
    return services.hours_claim(
        user=user, organization=organization, day=day, hours=hours, description="Разбирал склад"
    )


@pytest.fixture
def pending(organization):
    return claim(volunteer(first_name="Вера", last_name="Волонтёр"), organization)


def queue_url(organization):
    return f"/api/v1/organizations/{organization.pk}/hours/pending"


def post(client, entry, move, body=None):
    return client.post(f"/api/v1/hours/{entry.pk}/{move}", body or {}, content_type=JSON)


def _unchanged(entry):
    entry.refresh_from_db()
    return (entry.status, entry.hours, entry.reason) == (H.PENDING, entry.claimed_hours, "")


# --- the queue ---------------------------------------------------------------------------


def test_the_queue_needs_authentication(client, organization):
    response = client.get(queue_url(organization))
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 403), ("member", 403), ("editor", 200), ("coordinator", 200)]
)
def test_the_queue_answers_each_role_as_the_page_does(
    login_as, request, organization, pending, who, status
):
    person = request.getfixturevalue(who)
    page = f"/volunteer/organizations/{organization.pk}/hours/"
    assert login_as(person).get(page).status_code == status
    assert bearer(person).get(queue_url(organization)).status_code == status


def test_a_hidden_or_missing_organisation_is_a_404_as_on_the_page(login_as, outsider):
    returned = OrganizationFactory(status=Organization.Status.RETURNED)
    for pk in (returned.pk, 987654):
        assert login_as(outsider).get(f"/volunteer/organizations/{pk}/hours/").status_code == 404
        assert bearer(outsider).get(f"/api/v1/organizations/{pk}/hours/pending").status_code == 404


def test_the_queue_lists_the_pages_entries_in_its_order_with_its_buttons(
    login_as, editor, organization
):
    old = claim(
        volunteer(first_name="Анна", last_name="Старая"),
        organization,
        day=TODAY - timedelta(days=5),
    )
    own = claim(editor, organization, day=TODAY - timedelta(days=1))
    new = claim(volunteer(first_name="Новая"), organization)
    services.hours_confirm(actor=editor, entry=claim(volunteer(), organization))
    claim(volunteer(), OrganizationFactory())  # another organisation's
    page = list(
        login_as(editor).get(f"/volunteer/organizations/{organization.pk}/hours/").context["page"]
    )
    items = bearer(editor).get(queue_url(organization)).json()["items"]
    assert [item["id"] for item in items] == [entry.pk for entry in page]
    assert [entry.pk for entry in page] == [old.pk, own.pk, new.pk]
    assert [item["moves"] for item in items] == [
        [move.name for move in entry.moves] for entry in page
    ]
    assert items[1]["moves"] == ["decline"]  # nobody confirms their own hours
    assert items[0] | {"id": None, "organization_id": None} == {
        "id": None,
        "volunteer": "Анна Старая",
        "organization_id": None,
        "date": "2026-03-05",
        "hours": "3.00",
        "claimed_hours": "3.00",
        "area": "",
        "description": "Разбирал склад",
        "source": "claim",
        "status": "pending",
        "event_id": None,
        "event": None,
        "origin": None,
        "reason": "",
        "thanks": "",
        "decided_at": None,
        "moves": ["confirm", "adjust", "decline"],
    }


@pytest.mark.parametrize("count", [1, 30])
def test_the_queue_has_a_fixed_query_count(
    django_assert_max_num_queries, editor, organization, count
):
    for _ in range(count):
        claim(volunteer(), organization)
    api = bearer(editor)
    with django_assert_max_num_queries(6):
        items = api.get(queue_url(organization)).json()["items"]
    assert len(items) == count
    assert {tuple(item["moves"]) for item in items} == {("confirm", "adjust", "decline")}


# --- the decisions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("move", "body"),
    [
        ("confirm", {}),
        ("adjust", {"hours": "2", "reason": "Ушла раньше"}),
        ("decline", {"reason": "Нет"}),
    ],
)
def test_a_decision_needs_authentication(client, pending, move, body):
    assert post(client, pending, move, body).status_code == 401
    assert _unchanged(pending)


@pytest.mark.parametrize("who", ["outsider", "member"])
@pytest.mark.parametrize(
    ("move", "body"),
    [
        ("confirm", {}),
        ("adjust", {"hours": "2", "reason": "Ушла раньше"}),
        ("decline", {"reason": "Нет"}),
    ],
)
def test_a_decision_is_refused_to_those_who_do_not_edit_as_on_the_page(
    login_as, request, pending, who, move, body
):
    person = request.getfixturevalue(who)
    page = login_as(person).post(
        f"/volunteer/hours/{pending.pk}/decide/", {"decision": move, **body}
    )
    assert page.status_code == 403
    response = post(bearer(person), pending, move, body)
    assert response.status_code == 403
    assert response.json()["message"] == "Редактировать могут владелец и редакторы организации."
    assert _unchanged(pending)


def test_a_decision_on_another_organisations_hours_is_a_403(editor):
    theirs = claim(volunteer(), OrganizationFactory())
    assert post(bearer(editor), theirs, "confirm").status_code == 403
    assert _unchanged(theirs)


# Each move's own body: a field another move takes is refused (422) before anything else.
BODIES = {
    "confirm": {"thanks": "Спасибо"},
    "adjust": {"hours": "2", "reason": "Иначе"},
    "decline": {"reason": "Иначе"},
}


@pytest.mark.parametrize("move", ["confirm", "adjust", "decline"])
def test_a_decision_on_a_missing_entry_is_a_404(editor, move):
    response = bearer(editor).post(f"/api/v1/hours/987654/{move}", BODIES[move], content_type=JSON)
    assert response.status_code == 404


def test_confirming_keeps_the_hours_thanks_the_volunteer_and_tells_them(editor, pending):
    response = post(bearer(editor), pending, "confirm", {"thanks": "Спасибо!"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["hours"], data["thanks"]) == ("confirmed", "3.00", "Спасибо!")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (H.CONFIRMED, editor)
    assert Notification.objects.filter(user=pending.user, kind="hours_confirmed").exists()
    assert AuditEntry.objects.filter(action="hours.confirm", object_id=str(pending.pk)).exists()


def test_adjusting_confirms_other_hours_and_keeps_what_was_claimed(editor, pending):
    response = post(bearer(editor), pending, "adjust", {"hours": "2.5", "reason": "Ушла раньше"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["hours"], data["claimed_hours"], data["reason"]) == (
        "confirmed",
        "2.50",
        "3.00",
        "Ушла раньше",
    )


def test_declining_tells_the_volunteer_the_reason(editor, pending):
    response = post(bearer(editor), pending, "decline", {"reason": "Не были на складе"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == (
        "declined",
        "Не были на складе",
    )
    notice = Notification.objects.get(user=pending.user, kind="hours_declined")
    assert "Не были на складе" in notice.body


def test_the_page_and_the_api_write_the_same_decision(login_as, editor, organization):
    by_page, by_api = claim(volunteer(), organization), claim(volunteer(), organization)
    login_as(editor).post(
        f"/volunteer/hours/{by_page.pk}/decide/",
        {"decision": "adjust", "hours": "2", "reason": "Ушла раньше", "thanks": "Спасибо"},
    )
    post(
        bearer(editor),
        by_api,
        "adjust",
        {"hours": "2", "reason": "Ушла раньше", "thanks": "Спасибо"},
    )
    fields = ("status", "hours", "claimed_hours", "reason", "thanks", "decided_by_id")
    page_row = HoursEntry.objects.filter(pk=by_page.pk).values(*fields).get()
    api_row = HoursEntry.objects.filter(pk=by_api.pk).values(*fields).get()
    assert page_row == api_row
    assert page_row["hours"] == Decimal("2.00")
    audits = AuditEntry.objects.filter(action="hours.confirm").order_by("pk")
    assert [a.data for a in audits] == [audits[0].data] * 2


def test_an_editor_cannot_confirm_their_own_hours_but_may_decline_them(editor, organization):
    own = claim(editor, organization)
    response = post(bearer(editor), own, "confirm")
    assert response.status_code == 403
    assert "Свои часы подтверждает другой человек" in response.json()["message"]
    assert _unchanged(own)
    assert post(bearer(editor), own, "decline", {"reason": "Ошибся"}).status_code == 200


@pytest.mark.parametrize("move", ["confirm", "adjust", "decline"])
def test_a_decided_entry_is_a_409_and_stays_as_decided(editor, pending, move):
    api = bearer(editor)
    assert post(api, pending, "decline", {"reason": "Нет"}).status_code == 200
    response = post(api, pending, move, BODIES[move])
    assert response.status_code == 409
    assert response.json()["message"] == "Эти часы уже рассмотрены."
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (H.DECLINED, "Нет")


@pytest.mark.parametrize(
    ("move", "body", "field"),
    [
        ("adjust", {"hours": "2"}, "reason"),
        ("adjust", {"hours": "2", "reason": "   "}, "reason"),
        ("adjust", {"reason": "Ушла раньше"}, "hours"),
        ("adjust", {"hours": "0.1", "reason": "x"}, "hours"),
        ("adjust", {"hours": "30", "reason": "x"}, "hours"),
        ("adjust", {"hours": "1.125", "reason": "x"}, "hours"),
        ("adjust", {"hours": "два", "reason": "x"}, "hours"),
        ("adjust", {"hours": "٣", "reason": "x"}, "hours"),
        ("adjust", {"hours": "2", "reason": "x" * 2001}, "reason"),
        ("decline", {}, "reason"),
        ("decline", {"reason": ""}, "reason"),
        ("confirm", {"thanks": "x" * 2001}, "thanks"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_changes(
    editor, pending, move, body, field
):
    response = post(bearer(editor), pending, move, body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert _unchanged(pending)
    assert not Notification.objects.filter(user=pending.user).exists()


def test_adjusting_up_past_the_days_24_hours_is_a_422_on_hours(editor, organization):
    person = volunteer()
    yesterday = TODAY - timedelta(days=1)  # a whole day: today holds only six hours yet
    entry = claim(person, organization, day=yesterday, hours="20")
    claim(person, OrganizationFactory(), day=yesterday, hours="4")
    response = post(bearer(editor), entry, "adjust", {"hours": "21", "reason": "Был дольше"})
    assert response.status_code == 422
    assert "hours" in response.json()["errors"]
    assert _unchanged(entry)
