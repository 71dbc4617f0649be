from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from dobry.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from dobry.accounts.models import User
from dobry.organizations.models import Membership, Organization

PASSPORT_PARTICIPANTS = [
    "Администрация ЗАТО г. Железногорск",
    "ФГУП «ГХК»",
    "АО «ИСС»",
    "КРОО «АРГО»",
    "Парк им. С. М. Кирова",
    "Управление культуры",
    "ЦГБ им. М. Горького",
    "Молодёжный центр",
    "Совет ветеранов",
    "«Этот мир для тебя»",
    "ФСЦ",
    "«Федерация ЗОЖ»",
    "«Школа осознанного родительства»",
]


def _participants() -> None:
    names = set(Organization.objects.values_list("short_name", flat=True))
    assert set(PASSPORT_PARTICIPANTS) <= names
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"initiative_group", "business", "enterprise", "municipal", "sonko"} <= kinds
    for organization in Organization.objects.all():
        organization.full_clean()  # demo ИНН/ОГРН pass their check digits


def _logins(capsys) -> None:
    for account in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        assert response["Location"] == "/", account.email
    assert User.objects.get(email="coordinator@example.org").is_coordinator
    assert User.objects.get(email="admin@example.org").is_superuser
    call_command("demo_logins")
    assert "coordinator@example.org" in capsys.readouterr().out


def _help_requests() -> None:
    from dobry.helprequests.models import HelpRequest

    statuses = set(HelpRequest.objects.values_list("status", flat=True))
    assert set(HelpRequest.Status.values) <= statuses
    rated = HelpRequest.objects.get(rating__isnull=False)
    assert rated.requester.email == "resident@example.org"
    next_visit = HelpRequest.objects.get(parent=rated)
    assert next_visit.status == "offered"
    assert rated.reports.exists()
    # health data the coordinator took by phone comes with the scan of the signed form
    from dobry.helprequests.models import HealthInfo

    taken = HealthInfo.objects.filter(help_request__registered_by__is_coordinator=True)
    assert taken.exists()
    for health in taken:
        assert health.help_request.has_consent_scan
        with health.consent_scan.open("rb") as scan:
            assert scan.read(8) == b"\x89PNG\r\n\x1a\n"
    # «Кому предложить» ranks real people with reasons: non-zero, differing scores, no
    # unnamed «Житель №…», never the person the request is for
    from dobry.helprequests.matching import candidates

    looking = HelpRequest.objects.filter(status__in=("verified", "matching", "offered"))
    assert looking.exists()
    for help_request in looking:
        ranked = candidates(help_request)
        scores = [c.score for c in ranked]
        assert scores, help_request.summary
        assert scores[0] > 0, help_request.summary
        assert len(set(scores)) > 1, (help_request.summary, scores)
        for candidate in ranked:
            assert "Житель" not in candidate.user.display_name
            assert candidate.user.pk != help_request.requester_id
            # no staff padding the list: every candidate has a reason beyond «нет других задач»
            assert not candidate.user.has_staff_role, candidate.user.email
            assert len(candidate.reasons) > 1, candidate.reasons


def _grant_competitions() -> None:
    from decimal import Decimal

    from django.utils import timezone

    from dobry.grants.models import Competition
    from dobry.resources.models import SupportRecord

    past = Competition.objects.get(status=Competition.Status.RESULTS)
    assert past.applications_open.year == timezone.now().year - 1
    ranked = list(past.applications.order_by("-score"))
    assert ranked[0].awarded_amount == 300_000
    assert ranked[0].number.startswith(f"{timezone.now().year - 1}-")
    divergent = past.applications.get(title="Территория спорта и отдыха")
    assert divergent.reviews.filter(for_divergence=True).count() == 1
    run = past.allocation_runs.filter(final=True).first()
    assert sum(Decimal(a["amount"]) for a in run.result["awards"]) <= past.budget
    assert SupportRecord.objects.filter(kind="financial", source_kind="grant_application").exists()
    current = Competition.objects.get(status=Competition.Status.PUBLISHED)
    assert current.accepting()
    assert current.applications.filter(status="draft").get().applicant.email == "nko@example.org"


def _tranches() -> None:
    """Last year's paid tranches were asked for after the signing and paid after the asking
    (the demo once showed a tranche paid a year before it was requested)."""
    from dobry.core.clock import local_date
    from dobry.grants.models import Tranche

    paid = Tranche.objects.filter(status="paid").select_related("agreement")
    assert paid.exists()
    for tranche in paid:
        asked = local_date(tranche.requested_at)
        assert tranche.agreement.signed_on <= asked <= tranche.paid_on, tranche.pk


def _grant_reports() -> None:
    """Last year's winners: accepted final reports with a rating (their projects closed),
    and one interim report returned with comments, its next version being worked on."""
    from dobry.grants.models import Agreement, GrantReport

    finals = GrantReport.objects.filter(kind="final", status="accepted")
    assert finals.exists()
    assert all(report.rating for report in finals)
    assert all(report.agreement.status == Agreement.Status.CLOSED for report in finals)
    returned = GrantReport.objects.get(status="returned")
    # the demo НКО leader of the README reworks it: a newcomer signs in and walks it
    assert returned.agreement.application.organization.memberships.filter(
        user__email="nko@example.org", role__in=("owner", "editor")
    ).exists()
    assert returned.kind == "interim"
    assert returned.version == 2
    assert returned.versions.get(version=1).comments


def _grant_outcomes() -> None:
    """Last year's finished projects: the grantee's summary, several residents' ratings
    and comments, shown on the project's public page linked from the results."""
    from dobry.grants.models import Agreement

    closed = Agreement.objects.filter(status=Agreement.Status.CLOSED)
    assert closed.exists()
    for agreement in closed:
        assert agreement.summary.text
        assert agreement.ratings.count() >= 3
        assert agreement.comments.count() >= 2
    agreement = closed.first()
    results = Client().get(f"/grants/{agreement.application.competition_id}/results/")
    assert f"/grants/projects/{agreement.pk}/" in results.content.decode()
    page = Client().get(f"/grants/projects/{agreement.pk}/").content.decode()
    assert agreement.summary.text[:40] in page
    assert "из 5" in page


def _uploaded_files() -> None:
    """The demo's uploads land where their kind belongs: private ones in the private storage
    under random names, none under MEDIA_ROOT."""
    import re
    from pathlib import Path

    from django.conf import settings

    from dobry.grants.models import ApplicationAttachment, Meeting
    from dobry.resources.models import LibraryFile

    smeta = ApplicationAttachment.objects.get(original_name="smeta.docx")
    assert smeta.application.status == "draft"
    protocol = Meeting.objects.exclude(signed_protocol="").get()
    templates = LibraryFile.objects.filter(item__kind="template")
    assert templates.filter(item__members_only=True).count() == 1
    for file in [smeta.file, protocol.signed_protocol, *(t.file for t in templates)]:
        assert re.fullmatch(r"[a-z/]+/[0-9a-f]{32}\.docx", file.name), file.name
        assert Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, file.name).stat().st_size > 1000
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.docx"))


def _news() -> None:
    """News of the passport's participants: published ones with drawn covers and links,
    one an organisation's after moderation, one waiting on moderation, one scheduled."""
    from pathlib import Path

    from django.conf import settings
    from PIL import Image

    from dobry.communications.models import NewsItem
    from dobry.resources.models import SupportRecord

    statuses = list(NewsItem.objects.values_list("status", flat=True))
    assert statuses.count("published") == 4
    assert statuses.count("moderation") == 1
    assert statuses.count("scheduled") == 1
    moderated = NewsItem.objects.get(publisher="organization", status="published")
    assert moderated.author.email == "nko@example.org"
    assert SupportRecord.objects.filter(source_kind="news", source_pk=moderated.pk).exists()
    covered = NewsItem.objects.exclude(cover="")
    assert covered.count() == 4
    for item in covered:
        assert item.cover_alt
        with Image.open(Path(settings.MEDIA_ROOT, item.cover.name)) as picture:
            assert picture.size == (1200, 630)
    assert NewsItem.objects.exclude(subject_kind="").count() == 2
    assert Client().get("/news/").status_code == 200


def _demo_year() -> None:
    """The passport's results table, reproduced from the demo year's records."""
    from django.utils import timezone

    from dobry.reports import indicators
    from dobry.reports.models import Snapshot
    from dobry.reports.periods import year

    last_year = year(timezone.localdate().year - 1)
    figures = indicators.passport(last_year)
    assert [figure.value for figure in figures] == [14, 40, 10, 40, 23, 5000]
    helped = figures[-1].parts  # from requests done and from the programmes' records
    assert helped["programme_recipients"] == 1000
    assert helped["request_recipients"] + helped["programme_recipients"] == 5000
    assert Snapshot.objects.filter(month__year=last_year.start.year).count() == 12 * 6


def _grant_calls() -> None:
    """The catalogue of external grant calls: current ones, one in the archive, one
    followed by the demo НКО."""
    from dobry.opportunities.models import Follow, Opportunity

    assert Opportunity.objects.current().count() == 4
    assert Opportunity.objects.past().count() == 1
    follow = Follow.objects.get()
    assert follow.organization.memberships.filter(user__email="nko@example.org").exists()
    assert Client().get("/grants/calls/").status_code == 200


def _initiatives():
    """City initiatives at every stage; one over the threshold with the centre's answer
    and a project group linked; the done one with a photo described on its timeline."""
    from dobry.civic.models import Initiative, TimelineEntry

    stages = set(Initiative.objects.values_list("status", flat=True))
    assert stages == set(Initiative.Status.values)
    answered = Initiative.objects.get(threshold_reached_at__isnull=False)
    assert answered.response
    assert answered.responded_at is not None
    assert answered.status == Initiative.Status.RESOURCE_CENTRE
    assert answered.links.filter(target_kind="project_group").exists()
    assert Initiative.objects.filter(group__isnull=False).exists()
    photo = TimelineEntry.objects.exclude(photo="").get()
    assert photo.photo_alt
    assert photo.initiative.status == Initiative.Status.DONE
    assert Initiative.objects.filter(status="in_progress").get().team.exists()
    page = Client().get(f"/initiatives/{answered.pk}/")
    assert answered.response in page.content.decode()
    assert Client().get("/initiatives/").status_code == 200


def _programmes():
    """Last year's festival with its programme, stands, volunteers on a zone and a stand and
    two versions; last year's Civic Forum with a published resolution; the coming
    festival's programme, open to everyone."""
    from dobry.festivals.models import Programme, Resolution, ShiftPost, StandApplication

    last = Programme.objects.get(event__title__startswith="Фестиваль «Добрый Железногорск» —")
    assert last.versions.count() == 2
    assert StandApplication.objects.filter(programme=last, status="accepted").count() == 5
    posts = ShiftPost.objects.filter(shift__event=last.event)
    assert {p.venue is not None for p in posts} == {True, False}
    assert all(p.shift.registrations.filter(checked_in_at__isnull=False) for p in posts)
    resolution = Resolution.objects.get()
    assert resolution.track.programme.civic_forum
    download = Client().get(resolution.file.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith("Резолюция".encode())
    if download.file_to_stream is not None:
        download.file_to_stream.close()
    coming = Programme.objects.exclude(pk=last.pk).filter(civic_forum=False).get()
    assert Client().get(coming.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_seed_is_idempotent_and_shows_every_capability(capsys):
    """One seeding (twice, to prove nothing is added again) for every check: seeding is
    the slowest thing a test can do here."""
    call_command("seed_passport")
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("seed_passport")
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    ) == counts
    _participants()
    _logins(capsys)
    _help_requests()
    _grant_competitions()
    _uploaded_files()
    _tranches()
    _grant_reports()
    _grant_outcomes()
    _news()
    _demo_year()
    _grant_calls()
    _initiatives()
    _votes()
    _programmes()


def _votes():
    """A closed vote with its tally (ballots on the site and on paper, adding up to the
    list of who voted) that ended in the past and was closed at its moment, an open one the
    demo resident may vote in, and one being prepared through the preparation pages'
    services."""
    from django.utils import timezone

    from dobry.accounts.models import User as Account
    from dobry.civic.models import Vote, VoterMark
    from dobry.civic.permissions import can_cast
    from dobry.civic.services.votes import closes_automatically_at
    from dobry.civic.vote_selectors import tally
    from dobry.core.audit import AuditEntry
    from dobry.core.clock import local_date

    resident = Account.objects.get(email="resident@example.org")
    closed = Vote.objects.get(status=Vote.Status.CLOSED)
    counted = tally(resident, closed)
    assert counted.ballots == counted.voters > counted.paper > 0
    assert any(row.funded for row in counted.rows)
    # a vote of the past: closed and its tally published at its moment, weeks ago
    assert closed.closes_at <= closed.closed_at < timezone.now() - timedelta(days=20)
    assert closed.closed_at == closes_automatically_at(closed)
    days = set(VoterMark.objects.filter(vote=closed).values_list("voted_on", flat=True))
    assert all(local_date(closed.opens_at) <= day <= local_date(closed.closes_at) for day in days)
    paper = VoterMark.objects.filter(vote=closed, channel="paper")
    assert {mark.officer for mark in paper} == set(closed.officers.all())
    running = Vote.objects.get(status=Vote.Status.OPEN)
    assert can_cast(resident, running)
    prepared = Vote.objects.get(status=Vote.Status.DRAFT)
    assert prepared.opens_at > timezone.now()
    options = list(prepared.options.all())
    assert [o.initiative is None for o in options].count(True) == 1  # one named by hand
    assert len(options) >= 3
    assert all(o.cost for o in options)
    assert prepared.officers.count() == 1
    done = set(
        AuditEntry.objects.filter(object_type="civic.vote", object_id=str(prepared.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "civic.vote_create", "civic.vote_update", "civic.vote_option_add",
        "civic.vote_officer_add",
    } <= done  # fmt: skip
    coordinator = Client()
    coordinator.force_login(Account.objects.get(email="coordinator@example.org"))
    assert prepared.title in coordinator.get("/votes/").content.decode()
    assert coordinator.get(f"/votes/{prepared.pk}/prepare/").status_code == 200
    assert prepared.title not in Client().get("/votes/").content.decode()


@pytest.mark.django_db
def test_if_empty_leaves_a_used_database_alone(resident, capsys):
    call_command("seed_passport", "--if-empty")
    assert not Organization.objects.exists()
    assert "nothing loaded" in capsys.readouterr().out
