"""Reading the recipient's data is an explicit step on pages and API alike (issue 11 §1).

An attacker's pass found the coordinator's edit page `/help/<id>/edit/` showing the
recipient's name, phone and address on a GET without an audit entry, and the API's plain
`GET /help-requests/{id}` answering `private` and `health_info` (writing the audit entry on
a GET a prefetching client makes). One rule (`permissions.private_on_get`) now decides what
a GET shows, for the page and the API; an audited reading is a POST."""

import pytest

from dobry.core.models import AuditEntry
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.permissions import private_on_get
from dobry.helprequests.tests.factories import HelpRequestFactory, accepted_helper
from dobry.helprequests.tests.test_private_data import bearer, login

pytestmark = pytest.mark.django_db

NAME = "Зинаида Пробная"
PHONE = "+79135559999"


@pytest.fixture
def help_request(resident):
    return HelpRequestFactory(
        requester=resident,
        status=HelpRequest.Status.VERIFIED,
        recipient_name=NAME,
        recipient_phone=PHONE,
        address="ул. Пробная, 5",
        health_info="Плохо слышит",
    )


def _reads(help_request):
    return AuditEntry.objects.filter(
        object_id=str(help_request.pk),
        action__in=("helprequest.private_read", "helprequest.health_read"),
    )


def test_the_coordinators_edit_page_asks_first_and_reads_nothing_on_a_get(
    help_request, coordinator
):
    page = login(coordinator).get(f"/help/{help_request.pk}/edit/")
    assert page.status_code == 200
    assert PHONE not in page.text
    assert NAME not in page.text
    assert f'<form method="post" action="/help/{help_request.pk}/edit/"' in page.text
    assert not _reads(help_request).exists()


def test_the_confirmation_opens_the_edit_form_and_writes_the_audit_entry(help_request, coordinator):
    page = login(coordinator).post(f"/help/{help_request.pk}/edit/")
    assert page.status_code == 200
    assert PHONE in page.text
    assert 'name="recipient_phone"' in page.text
    assert list(_reads(help_request).values_list("action", "actor")) == [
        ("helprequest.private_read", coordinator.pk)
    ]
    help_request.refresh_from_db()
    assert help_request.recipient_phone == PHONE  # opening the form saved nothing


def test_the_coordinator_still_saves_the_edit_form(help_request, coordinator):
    response = login(coordinator).post(
        f"/help/{help_request.pk}/edit/",
        {
            "category": help_request.category,
            "summary": help_request.summary,
            "details": "Уточнили по телефону",
            "recipient_name": NAME,
            "recipient_phone": PHONE,
            "address": help_request.address,
            "asap": "on",
            "volunteers_needed": 1,
            "recurrence": "once",
            "relation": help_request.relation,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    help_request.refresh_from_db()
    assert help_request.details == "Уточнили по телефону"


def test_the_requester_edits_their_own_request_without_a_step_or_an_audit_entry(
    help_request, resident
):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpRequest.Status.NEW)
    page = login(resident).get(f"/help/{help_request.pk}/edit/")
    assert PHONE in page.text
    assert not _reads(help_request).exists()


def test_the_apis_get_gives_a_coordinator_neither_private_fields_nor_health_data(
    help_request, coordinator
):
    body = bearer(coordinator).get(f"/api/v1/help-requests/{help_request.pk}").json()
    assert (body["private"], body["health_info"]) == (None, None)
    assert not _reads(help_request).exists()


def test_the_apis_post_gives_them_with_the_audit_entries(help_request, coordinator):
    response = bearer(coordinator).post(f"/api/v1/help-requests/{help_request.pk}/private")
    assert response.status_code == 200
    assert response.json()["private"]["recipient_name"] == NAME
    assert sorted(_reads(help_request).values_list("action", flat=True)) == [
        "helprequest.health_read",
        "helprequest.private_read",
    ]


def test_the_accepted_volunteer_gets_health_data_only_on_the_post(help_request):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpRequest.Status.ASSIGNED)
    helper = accepted_helper(help_request)
    api = bearer(helper)
    url = f"/api/v1/help-requests/{help_request.pk}"
    assert api.get(url).json()["health_info"] is None
    assert not _reads(help_request).exists()
    assert api.post(f"{url}/private").status_code == 200
    assert list(_reads(help_request).values_list("action", flat=True)) == [
        "helprequest.health_read"
    ]


def test_the_apis_post_is_refused_to_outsiders_and_reads_nothing(help_request, outsider):
    response = bearer(outsider).post(f"/api/v1/help-requests/{help_request.pk}/private")
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    assert not _reads(help_request).exists()


@pytest.mark.parametrize("who", ["resident", "coordinator", "outsider"])
def test_the_page_and_the_api_show_the_same_on_a_get(help_request, who, request):
    user = request.getfixturevalue(who)
    page = login(user).get(help_request.get_absolute_url())
    api = bearer(user).get(f"/api/v1/help-requests/{help_request.pk}")
    shown = private_on_get(user, help_request)
    assert (PHONE in page.text) is shown
    assert (api.status_code == 200 and api.json()["private"] is not None) is shown
