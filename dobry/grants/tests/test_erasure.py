"""Erasing an applicant keeps what the competition and the organisation depend on, and
nothing of the person: their drafts' files and names go, a submitted application keeps its
files under a neutral name, and no phone or email in any spelling is left in its texts."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.core.erasure import REDACTED
from dobry.core.models import District
from dobry.grants.models import Application, ApplicationAttachment, Competition
from dobry.grants.services import applications
from dobry.grants.tests.factories import complete_content, open_competition
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

TEAM = "Руководитель +7 913 555-01-23, 8(913)5550123, Ivan.Sled@Example.RU; бухгалтер 89131112233"


@pytest.fixture
def applicant(db):
    return UserFactory(first_name="Иван", last_name="Следов", phone="+79135550123")


def _in_the_city():
    district, _created = District.objects.get_or_create(slug="center", defaults={"name": "Центр"})
    return OrganizationFactory(district=district)


@pytest.fixture
def organization(applicant):
    organization = _in_the_city()
    MembershipFactory(organization=organization, user=applicant, role=Membership.Role.OWNER)
    return organization


def _draft(applicant, official, organization=None, *, upload="Ivan_Sledov_smeta.pdf", team=TEAM):
    kind = Competition.Kind.INDIVIDUALS if organization is None else None
    competition = open_competition(official, **({"kind": kind} if kind else {}))
    draft = applications.application_create(
        user=applicant, competition=competition, organization=organization
    )
    applications.application_save(
        user=applicant,
        application=draft,
        title="Прогулки",
        content={**complete_content(), "team": team},
    )
    applications.application_attach(
        user=applicant,
        application=draft,
        title="Смета",
        upload=SimpleUploadedFile(upload, b"%PDF-1.4 smeta"),
    )
    return draft


def _stored(attachment: ApplicationAttachment) -> Path:
    return Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, attachment.file.name)


def test_a_residents_own_draft_goes_with_its_file(
    applicant, official, django_capture_on_commit_callbacks
):
    draft = _draft(applicant, official)
    stored = _stored(draft.attachments.get())
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=applicant, actor=None)
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not ApplicationAttachment.objects.exists()
    assert not stored.exists()


def test_an_organisations_unsubmitted_draft_stays_without_her_files_and_contacts(
    applicant, official, organization, django_capture_on_commit_callbacks
):
    draft = _draft(applicant, official, organization)
    stored = _stored(draft.attachments.get())
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=applicant, actor=None)
    draft.refresh_from_db()
    assert (draft.title, draft.organization) == ("Прогулки", organization)
    assert draft.content["team"] == (
        f"Руководитель {REDACTED}, {REDACTED}, {REDACTED}; бухгалтер {REDACTED}"
    )
    assert not draft.attachments.exists()
    assert not stored.exists()


def test_a_submitted_application_keeps_its_file_under_a_name_that_names_nobody(
    applicant, official, organization, django_capture_on_commit_callbacks
):
    draft = _draft(applicant, official, organization)
    applications.application_submit(user=applicant, application=draft)
    # another applicant's contacts are theirs: untouched
    someone, theirs = UserFactory(), _in_the_city()
    MembershipFactory(organization=theirs, user=someone, role=Membership.Role.OWNER)
    their_team = "Руководитель +7 913 777-88-99, anna@example.org"
    other = _draft(someone, official, theirs, upload="plan.pdf", team=their_team)
    attachment = draft.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=applicant, actor=None)
    attachment.refresh_from_db()
    assert attachment.original_name == f"приложение-{attachment.pk}.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 smeta"
    draft.refresh_from_db()
    kept = f"Руководитель {REDACTED}, {REDACTED}, {REDACTED}; бухгалтер {REDACTED}"
    assert draft.content["team"] == kept
    assert draft.versions.get().content["team"] == kept
    other.refresh_from_db()
    assert other.content["team"] == their_team
    assert other.attachments.get().original_name == "plan.pdf"
