"""The pages of an agreement: who sees what (anonymous, outsider, another competition's
organiser, grantee, organiser), the forms of signing, tranches and amendments with hostile
input (a message, never a 500), the DOCX, and the list's query budget."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_today
from dobry.grants.models import Agreement, Amendment, Competition, Tranche
from dobry.grants.services import agreements
from dobry.grants.tests.agreements import (
    decided_winner,
    draft_agreement,
    grantee_of,
    scan,
    signed_agreement,
)
from dobry.grants.tests.factories import complete_content

pytestmark = pytest.mark.django_db


def _page(agreement: Agreement) -> str:
    return f"/grants/agreements/{agreement.pk}/"


def test_anonymous_visitors_are_asked_to_log_in(official):
    agreement = draft_agreement(official)
    for url in (_page(agreement), f"{_page(agreement)}agreement.docx"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_outsiders_and_other_staff_do_not_see_an_agreement(official):
    agreement = draft_agreement(official)
    for user in (UserFactory(), UserFactory(is_coordinator=True)):
        assert login(user).get(_page(agreement)).status_code == 404
        assert login(user).get(f"{_page(agreement)}agreement.docx").status_code == 404


def test_the_grantee_reads_the_agreement_without_the_staffs_forms(official):
    agreement = draft_agreement(official)
    page = login(grantee_of(agreement.application)).get(_page(agreement))
    assert page.status_code == 200
    html = page.content.decode()
    assert agreement.number in html
    assert "Отметить подписание" not in html
    assert "Расторгнуть соглашение" not in html


def test_the_organiser_sees_the_signing_form_on_a_draft(official):
    agreement = draft_agreement(official)
    html = login(official).get(_page(agreement)).content.decode()
    assert "Отметить подписание" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_organiser_records_the_signing_on_the_page(official):
    agreement = draft_agreement(official)
    response = login(official).post(
        f"{_page(agreement)}sign/",
        {"signed_on": agreement.concluded_on.isoformat(), "file": scan()},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    html = login(official).get(_page(agreement)).content.decode()
    assert f'href="/files/grants.agreement.signed_scan/{agreement.pk}/"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"signed_on": "0001-01-01"},
        {"signed_on": "²"},
        {"signed_on": "2999-01-01"},
        {"signed_on": ""},
        {"signed_on": "2026-01-01\x00"},
    ],
)
def test_hostile_signing_input_is_a_message_on_the_page(official, data):
    agreement = draft_agreement(official)
    response = login(official).post(
        f"{_page(agreement)}sign/", {**data, "file": scan()}, follow=True
    )
    assert response.redirect_chain == [(_page(agreement), 302)]
    assert "Подписание не отмечено" in response.content.decode()
    assert Agreement.objects.get().status == Agreement.Status.DRAFT
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


def test_a_file_that_is_not_a_scan_is_a_message_on_the_page(official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement = draft_agreement(official)
    response = login(official).post(
        f"{_page(agreement)}sign/",
        {
            "signed_on": agreement.concluded_on.isoformat(),
            "file": SimpleUploadedFile("a.pdf", b"MZ program"),
        },
        follow=True,
    )
    assert "Это не PDF" in response.content.decode()
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


def test_the_grantee_cannot_sign_or_terminate_through_the_page(official):
    agreement = draft_agreement(official)
    client = login(grantee_of(agreement.application))
    signed_on = agreement.concluded_on.isoformat()
    assert (
        client.post(
            f"{_page(agreement)}sign/", {"signed_on": signed_on, "file": scan()}
        ).status_code
        == 403
    )
    assert client.post(f"{_page(agreement)}terminate/", {"reason": "Нет"}).status_code == 403
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


def test_terminating_on_the_page_needs_a_reason(official):
    agreement = signed_agreement(official)
    response = login(official).post(f"{_page(agreement)}terminate/", {"reason": ""}, follow=True)
    assert "укажите причину" in response.content.decode()
    assert Agreement.objects.get().status == Agreement.Status.SIGNED
    response = login(official).post(f"{_page(agreement)}terminate/", {"reason": "Отказ"})
    assert response.status_code == 302
    assert Agreement.objects.get().status == Agreement.Status.TERMINATED


def test_the_grantee_requests_and_the_organiser_records_a_payment_on_the_page(official):
    agreement = signed_agreement(official)
    tranche = agreement.tranches.get()
    url = f"/grants/tranches/{tranche.pk}/"
    grantee = login(grantee_of(agreement.application))
    assert "Запросить транш" in grantee.get(_page(agreement)).content.decode()
    assert grantee.post(url, {"move": "request"}).status_code == 302
    assert grantee.post(url, {"move": "pay", "payment_order": "1"}).status_code == 302
    assert Tranche.objects.get().status == Tranche.Status.REQUESTED  # refused with a message
    response = login(official).post(url, {"move": "pay", "payment_order": "П-17"})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.payment_order) == (Tranche.Status.PAID, "П-17")
    assert "П-17" in login(official).get(_page(agreement)).content.decode()


@pytest.mark.parametrize("move", ["", "steal", "request\x00"])
def test_a_forged_tranche_button_is_a_400(official, move):
    agreement = signed_agreement(official)
    url = f"/grants/tranches/{agreement.tranches.get().pk}/"
    assert login(official).post(url, {"move": move}).status_code == 400


def test_hostile_payment_input_is_a_message(official):
    agreement = signed_agreement(official)
    tranche = agreements.tranche_request(actor=official, tranche=agreement.tranches.get())
    url = f"/grants/tranches/{tranche.pk}/"
    ahead = (local_today() + timedelta(days=5)).isoformat()
    for data in ({"payment_order": ""}, {"payment_order": "1", "paid_on": ahead}):
        response = login(official).post(url, {"move": "pay", **data}, follow=True)
        assert response.status_code == 200
    for day in ("²", "2999-01-01"):  # a value the form refuses: 400 naming it
        assert login(official).post(url, {"move": "pay", "paid_on": day}).status_code == 400
    assert Tranche.objects.get().status == Tranche.Status.REQUESTED


def test_an_outsider_cannot_touch_a_tranche_or_an_amendment(official):
    agreement = signed_agreement(official)
    tranche = agreement.tranches.get()
    amendment = agreements.amendment_propose(
        actor=official,
        agreement=agreement,
        kind=Amendment.Kind.DATES,
        reason="Сдвиг",
        ends_on=agreement.ends_on + timedelta(days=3),
    )
    outsider = login(UserFactory())
    assert outsider.post(f"/grants/tranches/{tranche.pk}/", {"move": "request"}).status_code == 404
    assert (
        outsider.post(f"/grants/amendments/{amendment.pk}/", {"move": "approve"}).status_code == 404
    )
    assert outsider.post(f"{_page(agreement)}amendments/", {"kind": "dates"}).status_code == 404
    assert Tranche.objects.get().status == Tranche.Status.PLANNED


BUDGET = [
    {"item": "Аренда зала", "requested": "60000"},
    {"item": "Канцелярия", "requested": "40000"},
]


def _budget_agreement(official) -> Agreement:
    content = {**complete_content(), "budget": BUDGET, "calendar": []}
    return signed_agreement(official, content=content)


def test_the_grantee_proposes_a_budget_change_and_the_organiser_approves_it(official):
    agreement = _budget_agreement(official)
    first, second = agreement.lines.all()
    grantee = login(grantee_of(agreement.application))
    response = grantee.post(
        f"{_page(agreement)}amendments/",
        {
            "kind": "budget",
            "reason": "Зал подорожал",
            f"line_{first.pk}": "63000",
            f"line_{second.pk}": "37000",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    html = login(official).get(_page(agreement)).content.decode()
    assert "Утвердить изменение" in html
    assert "Утвердить изменение" not in grantee.get(_page(agreement)).content.decode()
    assert (
        grantee.post(f"/grants/amendments/{amendment.pk}/", {"move": "approve"}).status_code == 302
    )
    assert Amendment.objects.get().status == Amendment.Status.PROPOSED
    response = login(official).post(f"/grants/amendments/{amendment.pk}/", {"move": "approve"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.amount == Decimal(63_000)
    assert "Редакция 2" in login(official).get(_page(agreement)).content.decode()


def test_a_budget_change_over_the_limit_is_a_message_naming_the_limit(official):
    agreement = _budget_agreement(official)
    first, second = agreement.lines.all()
    response = login(official).post(
        f"{_page(agreement)}amendments/",
        {
            "kind": "budget",
            "reason": "Больше зала",
            f"line_{first.pk}": "90000",
            f"line_{second.pk}": "10000",
        },
        follow=True,
    )
    assert "не больше чем на 10%" in response.content.decode()
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "budget", "reason": ""},
        {"kind": "nope", "reason": "x"},
        {"kind": "dates", "reason": "x", "ends_on": "0001-01-01"},
        {"kind": "dates", "reason": "x", "ends_on": "²"},
        {"kind": "budget", "reason": "x", "line_1": "1e30"},
        {"kind": "dates", "reason": "x" * 10_001},
        {"kind": "dates", "reason": "Без изменений"},
    ],
)
def test_hostile_amendment_input_is_a_message_on_the_page(official, data):
    agreement = _budget_agreement(official)
    response = login(official).post(f"{_page(agreement)}amendments/", data, follow=True)
    assert response.redirect_chain == [(_page(agreement), 302)]
    assert "Изменение не предложено" in response.content.decode()
    assert not Amendment.objects.exists()


def test_rejecting_on_the_page_needs_a_comment(official):
    agreement = signed_agreement(official)
    amendment = agreements.amendment_propose(
        actor=official,
        agreement=agreement,
        kind=Amendment.Kind.DATES,
        reason="Сдвиг",
        ends_on=agreement.ends_on + timedelta(days=3),
    )
    url = f"/grants/amendments/{amendment.pk}/"
    assert login(official).post(url, {"move": "reject"}).status_code == 302
    assert Amendment.objects.get().status == Amendment.Status.PROPOSED
    assert login(official).post(url, {"move": "reject", "comment": "Нет"}).status_code == 302
    assert Amendment.objects.get().status == Amendment.Status.REJECTED
    assert login(official).post(url, {"move": "maybe"}).status_code == 400


def test_the_docx_downloads_for_the_grantee_and_the_organiser(official):
    agreement = draft_agreement(official)
    for user in (official, grantee_of(agreement.application)):
        response = login(user).get(f"{_page(agreement)}agreement.docx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content.startswith(b"PK")


def test_the_application_page_links_its_agreement_for_grantee_and_organiser(official):
    agreement = draft_agreement(official)
    url = agreement.application.get_absolute_url()
    for user in (official, grantee_of(agreement.application)):
        assert _page(agreement) in login(user).get(url).content.decode()


# --- a competition's agreements -----------------------------------------------------------------


def test_the_list_is_the_organisers(official):
    competition, application = decided_winner(official)
    url = f"/grants/{competition.pk}/agreements/"
    assert Client().get(url).status_code == 302
    assert login(UserFactory()).get(url).status_code == 403
    assert login(grantee_of(application)).get(url).status_code == 403
    assert login(official).get(url).status_code == 200


def test_the_organiser_prepares_the_agreements_on_the_page(official):
    competition, application = decided_winner(official)
    url = f"/grants/{competition.pk}/agreements/prepare/"
    assert login(grantee_of(application)).post(url).status_code == 403
    assert login(official).get(url).status_code == 405
    response = login(official).post(url, follow=True)
    assert response.status_code == 200
    assert Agreement.objects.get().application == application
    assert f"С-{application.number}" in response.content.decode()
    assert login(official).post(url).status_code == 302
    assert Agreement.objects.count() == 1


def test_preparing_before_the_decision_is_a_message(official):
    from dobry.grants.tests.factories import open_competition

    competition = open_competition(official)
    response = login(official).post(f"/grants/{competition.pk}/agreements/prepare/", follow=True)
    assert response.status_code == 200
    assert "после решения комиссии" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_list_and_the_agreement_read_a_fixed_number_of_queries(
    official, django_assert_max_num_queries
):
    competition, _application = decided_winner(official)
    agreements.agreements_prepare(actor=official, competition=competition)
    client = login(official)
    url = f"/grants/{competition.pk}/agreements/"
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    # many more agreements in the same competition: the same count
    from dobry.grants.models import Application
    from dobry.grants.tests.factories import admitted_application

    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.PUBLISHED)
    competition.refresh_from_db()
    for _ in range(3):
        extra = admitted_application(competition, official)
        Application.objects.filter(pk=extra.pk).update(result="winner", awarded_amount=1000)
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.DECIDED)
    competition.refresh_from_db()
    agreements.agreements_prepare(actor=official, competition=competition)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("/grants/agreements/") == 4
    agreement = Agreement.objects.first()
    client.get(_page(agreement))
    with django_assert_max_num_queries(25):
        assert client.get(_page(agreement)).status_code == 200


def test_the_calendar_plan_shows_its_days_as_people_read_them_everywhere(official):
    """The agreement, its report and the application printed the calendar plan's days as
    the form stores them («2027-02-01»), beside every other day written «01.02.2027»."""
    from dobry.grants.models import ReportDue
    from dobry.grants.services import reports

    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    report = reports.report_open(actor=grantee, agreement=agreement, kind=ReportDue.Kind.FINAL)
    client = login(grantee)
    for url in (
        _page(agreement),
        report.get_absolute_url(),
        f"/grants/applications/{agreement.application_id}/",
    ):
        html = client.get(url).content.decode()
        assert "01.02.2027" in html, url
        assert "2027-02-01" not in html, url
