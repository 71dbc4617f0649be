"""The pages of a grantee's report: who sees what (anonymous, outsider, another
organisation's member, grantee, organiser), the grantee fills, attaches and submits, the
organiser returns with comments and accepts with a rating; hostile input is a message or a
400 with the form, never a 500; the queue keeps a fixed number of queries."""

from datetime import timedelta

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Agreement, GrantReport, ReportDue, ReportFile
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.grants.tests.reports import receipt, submitted_report
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
FINAL = ReportDue.Kind.FINAL


def _opened(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    return reports.report_open(actor=grantee, agreement=agreement, kind=FINAL), grantee


def _form(report: GrantReport, **extra) -> dict:
    content = reports.current_version(report).content
    data = {
        "participants": "40",
        "recipients": "12",
        "publications": "Газета https://example.org/news/1",
    }
    for n, _row in enumerate(content["activities"]):
        data[f"activity-{n}-done"] = "on"
        data[f"activity-{n}-note"] = "Проведено"
    for n, _row in enumerate(content["indicators"]):
        data[f"indicator-{n}-achieved"] = "42"
    for row in content["spending"]:
        data[f"line-{row['line']}-spent"] = row["amount"]
    return data | extra


def test_anonymous_visitors_are_asked_to_log_in(official):
    report, _grantee = _opened(official)
    for url in (report.get_absolute_url(), "/grants/reports/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_outsiders_and_other_organisations_do_not_see_a_report(official):
    report, _grantee = _opened(official)
    member = MembershipFactory(role=Membership.Role.OWNER).user
    for user in (UserFactory(), member, UserFactory(is_coordinator=True)):
        client = login(user)
        assert client.get(report.get_absolute_url()).status_code == 404
        assert client.post(f"/grants/reports/{report.pk}/save/", _form(report)).status_code == 404
        assert client.get("/grants/reports/").status_code == 403


def test_the_grantee_opens_fills_and_submits_from_the_agreement(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    client = login(grantee)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Заполнить отчёт" in html
    opened = client.post(f"/grants/agreements/{agreement.pk}/reports/final/")
    report = GrantReport.objects.get(agreement=agreement)
    assert opened["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "Сохранить и сдать" in page.content.decode()
    saved = client.post(f"/grants/reports/{report.pk}/save/", _form(report, then="submit"))
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Сохранить и сдать" not in html
    assert "https://example.org/news/1" in html


def test_a_wrong_value_shows_the_form_again_with_what_was_typed(official):
    report, grantee = _opened(official)
    client = login(grantee)
    response = client.post(
        f"/grants/reports/{report.pk}/save/",
        _form(report, participants="-5", **{"activity-0-note": "Мой текст"}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Мой текст" in html
    assert "Целое число" in html


@pytest.mark.parametrize(
    "hostile", ["\x00", "' OR 1=1 --", "<script>alert(1)</script>", "9" * 400, "٣", "1e999"]
)
def test_hostile_values_never_make_a_500(official, hostile):
    report, grantee = _opened(official)
    client = login(grantee)
    content = reports.current_version(report).content
    line = content["spending"][0]["line"]
    body = {
        "participants": hostile,
        "recipients": hostile,
        "publications": hostile,
        "activity-0-note": hostile,
        "indicator-0-achieved": hostile,
        f"line-{line}-spent": hostile,
        "then": hostile,
    }
    assert client.post(f"/grants/reports/{report.pk}/save/", body).status_code in (302, 400)
    for url, data in (
        (f"/grants/reports/{report.pk}/files/", {"kind": hostile, "line": hostile}),
        (f"/grants/reports/{report.pk}/submit/", {}),
        (f"/grants/reports/{report.pk}/decision/", {"move": "accept", "rating": hostile}),
        (f"/grants/agreements/{report.agreement_id}/reports/{hostile}/", {}),
    ):
        assert client.post(url, data).status_code in (302, 400, 403, 404), url
    assert login(official).get(f"/grants/reports/?state={hostile}").status_code == 400


def test_the_grantee_attaches_a_receipt_and_removes_it(official):
    report, grantee = _opened(official)
    client = login(grantee)
    line = report.agreement.lines.first()
    client.post(
        f"/grants/reports/{report.pk}/files/",
        {"kind": "receipt", "line": str(line.pk), "file": receipt("akt.pdf")},
    )
    attached = ReportFile.objects.get()
    assert attached.line == line
    assert attached.file.url in client.get(report.get_absolute_url()).content.decode()
    client.post(f"/grants/report-files/{attached.pk}/delete/")
    assert not ReportFile.objects.exists()


def test_the_organiser_returns_with_comments_and_accepts_with_a_rating(official):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    client = login(official)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Принять отчёт" in html
    client.post(
        f"/grants/reports/{report.pk}/decision/",
        {"move": "return", "comment_spending": "Нет чека за аренду"},
    )
    report.refresh_from_db()
    assert report.status == GrantReport.Status.RETURNED
    grantee_page = login(grantee_of(agreement.application)).get(report.get_absolute_url())
    assert "Нет чека за аренду" in grantee_page.content.decode()
    login(grantee_of(agreement.application)).post(f"/grants/reports/{report.pk}/submit/")
    client.post(f"/grants/reports/{report.pk}/decision/", {"move": "accept", "rating": ""})
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED  # a final report needs a rating
    client.post(
        f"/grants/reports/{report.pk}/decision/", {"move": "accept", "rating": "satisfactory"}
    )
    report.refresh_from_db()
    assert (report.status, report.rating) == (GrantReport.Status.ACCEPTED, "satisfactory")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CLOSED


def test_the_queue_shows_due_late_and_submitted_reports(official):
    on_time = signed_agreement(official)
    late = signed_agreement(official)
    ReportDue.objects.filter(agreement=late).update(due_on=on_time.concluded_on - timedelta(days=1))
    submitted_report(on_time)
    client = login(official)
    html = client.get("/grants/reports/").content.decode()
    assert on_time.number in html
    assert late.number in html
    assert late.number in client.get("/grants/reports/?state=late").content.decode()
    assert on_time.number not in client.get("/grants/reports/?state=late").content.decode()
    assert on_time.number in client.get("/grants/reports/?state=submitted").content.decode()


def test_an_organiser_of_another_competition_sees_none_of_these(official):
    agreement = signed_agreement(official)
    from dobry.grants.tests.factories import open_competition

    other = UserFactory()
    open_competition(official).managers.add(other)
    html = login(other).get("/grants/reports/").content.decode()
    assert agreement.number not in html


@pytest.mark.parametrize("count", [1, 4])
def test_the_queue_keeps_a_fixed_number_of_queries(official, django_assert_max_num_queries, count):
    for _n in range(count):
        submitted_report(signed_agreement(official))
    client = login(official)
    client.get("/grants/reports/")
    with django_assert_max_num_queries(12):
        assert client.get("/grants/reports/").status_code == 200


def _closed_project(official, rating="unsatisfactory"):
    agreement = signed_agreement(official)
    reports.report_accept(actor=official, report=submitted_report(agreement), rating=rating)
    return agreement


def test_experts_see_the_applicants_finished_projects_and_their_ratings(official):
    from dobry.grants.models import Competition
    from dobry.grants.services import applications, assignments
    from dobry.grants.services import reviews as review_services
    from dobry.grants.tests.factories import expert_pool, open_competition

    past = _closed_project(official)
    organization = past.application.organization
    leader = grantee_of(past.application)
    competition = open_competition(official)
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    from dobry.grants.tests.factories import complete_content

    applications.application_save(
        user=leader, application=application, title="Новый проект", content=complete_content()
    )
    application = applications.application_submit(user=leader, application=application)
    application = applications.application_screen(
        actor=official, application=application, decision="admitted"
    )
    [expert] = expert_pool(competition, official, 1)
    assignments.review_assign(actor=official, application=application, expert=expert)
    review_services.conflict_declare(user=expert.user, application=application, conflict=False)
    html = login(expert.user).get(application.get_absolute_url()).content.decode()
    assert "Завершённые грантовые проекты заявителя" in html
    assert "неудовлетворительный проект" in html
    assert past.number in html
    # a blind review does not name the applicant, nor its history
    Competition.objects.filter(pk=competition.pk).update(blind_review=True)
    html = login(expert.user).get(application.get_absolute_url()).content.decode()
    assert "Завершённые грантовые проекты заявителя" not in html


def test_another_organisations_history_is_not_shown(official):
    _closed_project(official)
    other = signed_agreement(official)
    html = login(official).get(other.application.get_absolute_url()).content.decode()
    assert "Завершённые грантовые проекты заявителя" not in html


@pytest.mark.parametrize(
    ("typed", "kept"), [("120", "120"), ("40", "40"), ("1000", "1000"), ("2,50", "2.5"), ("0", "0")]
)
def test_an_achieved_value_is_kept_as_typed_and_saves_again_as_shown(official, typed, kept):
    """A round number was stored as «1.2E+2» (Decimal.normalize): the page showed it so and,
    the field refusing an exponent, the next save of a returned report failed."""
    report, grantee = _opened(official)
    client = login(grantee)
    form = _form(report, **{"indicator-0-achieved": typed})
    assert client.post(f"/grants/reports/{report.pk}/save/", form).status_code == 302
    achieved = reports.current_version(report).content["indicators"][0]["achieved"]
    assert achieved == kept
    html = client.get(report.get_absolute_url()).content.decode()
    assert f'name="indicator-0-achieved" value="{kept}"' in html
    # saved again as the page shows it
    again = _form(report, **{"indicator-0-achieved": achieved})
    assert client.post(f"/grants/reports/{report.pk}/save/", again).status_code == 302


def test_values_saved_with_an_exponent_are_written_as_typed(official):
    """The migration repairs what was saved before: «1.2E+2» → «120», «4E+1» → «40»."""
    import importlib

    from django.apps import apps

    from dobry.grants.models import ReportVersion

    migration = importlib.import_module("dobry.grants.migrations.0018_achieved_without_exponent")
    report, _grantee = _opened(official)
    version = reports.current_version(report)
    version.content["indicators"] = [
        {"name": "a", "achieved": "1.2E+2"},
        {"name": "b", "achieved": "4E+1"},
        {"name": "c", "achieved": "2.5"},
        {"name": "d", "achieved": ""},
    ]
    version.save(update_fields=["content"])
    migration.forwards(apps, None)
    kept = ReportVersion.objects.get(pk=version.pk).content["indicators"]
    assert [row["achieved"] for row in kept] == ["120", "40", "2.5", ""]
