"""Winners and their agreements for the tests of a grant after the award."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Agreement, Application, Competition
from dobry.grants.services import agreements
from dobry.grants.tests.factories import admitted_application, complete_content, open_competition

# A project shorter than DOBRY_GRANT_INTERIM_AFTER_DAYS: a final report only, one tranche.
SHORT_PROJECT = [{"title": "Встречи", "starts_on": "2027-02-01", "ends_on": "2027-05-31"}]

SCAN = b"%PDF-1.4 signed agreement"


def scan(name: str = "soglashenie.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SCAN, content_type="application/pdf")


def decided_winner(official, *, amount: int = 100_000, awarded: int | None = None, content=None):
    """An admitted application the commission made a winner of its decided competition
    (set directly: the way there is `decisions`' own tests). Its submitted version holds
    `content` (by default a short project: one tranche, a final report only)."""
    competition = open_competition(official)
    application = admitted_application(competition, official, amount=amount)
    if content is None:
        content = {**complete_content(amount), "calendar": SHORT_PROJECT}
    if content:
        version = application.versions.get()
        version.content = content
        version.save(update_fields=["content"])
    Application.objects.filter(pk=application.pk).update(
        result=Application.Result.WINNER, awarded_amount=Decimal(awarded or amount)
    )
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.DECIDED)
    application.refresh_from_db()
    competition.refresh_from_db()
    return competition, application


def grantee_of(application: Application):
    """The applying organisation's owner."""
    return application.organization.memberships.get(role="owner").user


def draft_agreement(official=None, **kwargs) -> Agreement:
    official = official or UserFactory(is_official=True)
    competition, _application = decided_winner(official, **kwargs)
    [agreement] = agreements.agreements_prepare(actor=official, competition=competition)
    return agreement


def signed_agreement(official=None, **kwargs) -> Agreement:
    official = official or UserFactory(is_official=True)
    agreement = draft_agreement(official, **kwargs)
    return agreements.agreement_sign(
        actor=official, agreement=agreement, signed_on=agreement.concluded_on, upload=scan()
    )
