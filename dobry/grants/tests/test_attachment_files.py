"""Issue 11 §1: a draft application's `smeta.pdf` answered 200 to anyone at
`/media/grants/applications/<year>/smeta.pdf`. Attachments are private files now, read only
by whoever may read the application."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.grants.services import applications
from dobry.grants.tests.factories import (
    applicant_organization,
    complete_content,
    open_competition,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SMETA = b"%PDF-1.4 smeta: 180 000 rub"


@pytest.fixture
def draft(official):
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=open_competition(official), organization=organization
    )
    attachment = applications.application_attach(
        user=leader,
        application=application,
        title="Смета",
        upload=SimpleUploadedFile("smeta.pdf", SMETA, "application/pdf"),
    )
    return attachment, leader


def test_the_smeta_of_a_draft_is_not_at_its_old_public_address(client, draft):
    attachment, _leader = draft
    year = timezone.localdate().year
    assert client.get(f"/media/grants/applications/{year}/smeta.pdf").status_code == 404
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert "smeta" not in attachment.file.name
    assert attachment.original_name == "smeta.pdf"


def test_anonymous_visitors_are_sent_to_log_in_without_the_file(draft):
    attachment, _leader = draft
    response = Client().get(attachment.file.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={attachment.file.url}"


def test_outsiders_and_plain_members_get_404(login_as, draft):
    attachment, _leader = draft
    other_leader = applicant_organization()[1]
    plain_member = MembershipFactory(
        organization=attachment.application.organization, role=Membership.Role.MEMBER
    ).user
    for person in (UserFactory(), other_leader, plain_member):
        assert login_as(person).get(attachment.file.url).status_code == 404


def test_the_applicant_and_the_organisers_download_smeta_pdf(login_as, official, draft):
    attachment, leader = draft
    editor = MembershipFactory(
        organization=attachment.application.organization, role=Membership.Role.EDITOR
    ).user
    # the tester's example: an official read the draft's smeta.pdf before submission
    assert login_as(official).get(attachment.file.url).status_code == 404
    application = attachment.application
    applications.application_save(
        user=leader, application=application, title="Проект", content=complete_content()
    )
    applications.application_submit(user=leader, application=application)
    for person in (leader, editor, official):
        response = login_as(person).get(attachment.file.url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="smeta.pdf"'
        assert b"".join(response.streaming_content) == SMETA


def test_detaching_deletes_the_stored_file(draft, django_capture_on_commit_callbacks):
    attachment, leader = draft
    stored = Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, attachment.file.name)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_detach(user=leader, attachment=attachment)
    assert not stored.exists()
