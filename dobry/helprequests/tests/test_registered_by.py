"""A coordinator who registers a phone call is `registered_by`, not the requester: no
unaudited reading of the recipient's data on a GET, no resident's messages, no rating
form (demo requests 1–10 were registered so); the data migration moves existing rows."""

import importlib

import pytest
from django.apps import apps

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import workflow
from dobry.helprequests.tests.factories import HelpRequestFactory, taken_by_phone

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


def test_the_coordinator_who_took_the_call_is_recorded_apart_from_the_requester(coordinator):
    help_request = taken_by_phone(coordinator)
    assert help_request.requester is None
    assert help_request.registered_by == coordinator


def test_their_get_shows_no_private_data_and_reading_it_is_audited(client, coordinator):
    help_request = taken_by_phone(coordinator)
    client.force_login(coordinator)
    assert client.get(f"/api/v1/help-requests/{help_request.pk}").json()["private"] is None
    page = client.get(f"/help/{help_request.pk}/").content.decode()
    assert "Мария Ивановна Петрова" not in page
    revealed = client.post(f"/api/v1/help-requests/{help_request.pk}/private").json()
    assert revealed["private"]["recipient_name"] == "Мария Ивановна Петрова"
    assert AuditEntry.objects.filter(
        action="helprequest.private_read", object_id=str(help_request.pk), actor=coordinator
    ).exists()


def test_another_coordinators_moves_send_them_no_residents_messages(coordinator):
    help_request = taken_by_phone(coordinator)
    other = UserFactory(is_coordinator=True)
    workflow.request_transition(actor=other, help_request=help_request, to=S.VERIFIED)
    assert not Notification.objects.filter(user=coordinator, kind="help_request_status").exists()


def test_they_are_offered_no_rating_form(client, coordinator):
    help_request = taken_by_phone(coordinator)
    HelpRequest.objects.filter(pk=help_request.pk).update(status=S.DONE)
    client.force_login(coordinator)
    rating = client.post(
        f"/api/v1/help-requests/{help_request.pk}/feedback",
        '{"rating": 5}',
        content_type="application/json",
    )
    assert rating.status_code == 422
    assert 'name="rating"' not in client.get(f"/help/{help_request.pk}/").content.decode()


def test_the_data_migration_moves_staff_phone_requests_only(coordinator, resident):
    by_phone = HelpRequestFactory(requester=coordinator, relation="phone_call")
    own = HelpRequestFactory(requester=coordinator, relation="self")
    residents = HelpRequestFactory(requester=resident, relation="phone_call")
    migration = importlib.import_module("dobry.helprequests.migrations.0010_registered_by")
    migration.requester_to_registered_by(apps, None)
    rows = {
        r.pk: (r.requester_id, r.registered_by_id)
        for r in HelpRequest.objects.filter(pk__in=[by_phone.pk, own.pk, residents.pk])
    }
    assert rows == {
        by_phone.pk: (None, coordinator.pk),
        own.pk: (coordinator.pk, None),
        residents.pk: (resident.pk, None),
    }
