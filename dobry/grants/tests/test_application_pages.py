"""The applicant's pages: the list of calls, a call, starting an application, my
applications, an application as each reader sees it, attachments and withdrawal."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.grants.models import Application, ApplicationAttachment, Competition, Expert
from dobry.grants.services import applications, assignments, competitions, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    applicant_organization,
    expert_pool,
    open_competition,
    score_all,
    submitted_application,
)
from dobry.grants.tests.pages import said
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
A = Application.Status


def _draft_call(official) -> Competition:
    now = timezone.now()
    return competitions.competition_create(
        actor=official,
        kind="sonko",
        title="Ещё не объявлен",
        budget=100_000,
        max_grant=50_000,
        applications_open=now,
        applications_close=now + timedelta(days=3),
        review_deadline=now + timedelta(days=6),
        results_on=(now + timedelta(days=9)).date(),
    )


def test_the_list_shows_announced_calls_only(client, official):
    announced = open_competition(official, title="Объявленный")
    _draft_call(official)
    page = client.get("/grants/")
    assert [c.pk for c in page.context["page"]] == [announced.pk]
    assert "Ещё не объявлен" not in page.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_keeps_a_fixed_query_count(client, official, django_assert_max_num_queries, count):
    for number in range(count):
        open_competition(official, title=f"Конкурс {number}")
    with django_assert_max_num_queries(6):
        response = client.get("/grants/")
    assert len(response.context["page"]) == count


def test_a_draft_call_is_seen_by_its_organisers_only(client, official, outsider, login_as):
    draft = _draft_call(official)
    url = f"/grants/{draft.pk}/"
    assert client.get(url).status_code == 404
    assert login_as(outsider).get(url).status_code == 404
    assert login_as(outsider).post(f"/grants/{draft.pk}/apply/").status_code == 404
    competitions.competition_manager_add(actor=official, competition=draft, user=outsider)
    assert login_as(outsider).get(url).status_code == 200
    assert login_as(official).get(url).status_code == 200


def test_the_call_page_names_who_may_apply_and_the_pool_by_sector(client, official):
    competition = open_competition(official)
    expert_pool(competition, official, 2, sector=Expert.Sector.NKO)
    (gone,) = expert_pool(competition, official, 1, sector=Expert.Sector.BUSINESS)
    assignments.expert_remove(actor=official, expert=gone)
    context = client.get(competition.get_absolute_url()).context
    assert context["eligible_labels"] == ["СО НКО", "Общественное объединение"]
    assert [(str(label), count) for label, count in context["sectors"]] == [
        ("представитель НКО", 2)
    ]
    assert context["mine"] is None
    assert not context["can_manage"]


def test_the_call_page_shows_the_applicants_own_application(official, login_as):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    editor = UserFactory()
    MembershipFactory(
        organization=application.organization, user=editor, role=Membership.Role.EDITOR
    )
    member = UserFactory()
    MembershipFactory(organization=application.organization, user=member)
    assert login_as(leader).get(competition.get_absolute_url()).context["mine"] == application
    assert login_as(editor).get(competition.get_absolute_url()).context["mine"] == application
    assert login_as(member).get(competition.get_absolute_url()).context["mine"] is None


def test_starting_needs_a_login(client, official):
    competition = open_competition(official)
    response = client.post(f"/grants/{competition.pk}/apply/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Application.objects.exists()


def test_the_apply_form_offers_only_the_editors_eligible_organisations(official, login_as):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    MembershipFactory(
        organization=applicant_organization(kind=Organization.Kind.BUSINESS)[0],
        user=leader,
        role=Membership.Role.OWNER,
    )
    MembershipFactory(organization=applicant_organization()[0], user=leader)  # a plain member
    form = login_as(leader).get(f"/grants/{competition.pk}/apply/").context["form"]
    assert list(form.fields["organization"].queryset) == [organization]


def test_an_organisation_not_offered_is_refused_at_the_field(official, login_as):
    competition = open_competition(official)
    _organization, leader = applicant_organization()
    foreign, _owner = applicant_organization()
    response = login_as(leader).post(
        f"/grants/{competition.pk}/apply/", {"organization": foreign.pk}
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_services_refusal_is_shown_on_the_apply_form(official, login_as):
    competition = open_competition(official, min_registered_months=24)
    organization, leader = applicant_organization(founded_on=timezone.localdate())
    response = login_as(leader).post(
        f"/grants/{competition.pk}/apply/", {"organization": organization.pk}
    )
    assert response.status_code == 200
    assert "не менее 24 мес." in response.content.decode()
    assert not Application.objects.exists()


def test_a_resident_starts_in_their_own_name_once(official, resident, login_as):
    competition = open_competition(official, kind=Competition.Kind.INDIVIDUALS)
    page = login_as(resident).get(f"/grants/{competition.pk}/apply/")
    assert page.context["form"] is None
    created = login_as(resident).post(f"/grants/{competition.pk}/apply/")
    application = Application.objects.get()
    assert created.url == f"/grants/applications/{application.pk}/edit/"
    assert (application.applicant, application.organization) == (resident, None)
    again = login_as(resident).post(f"/grants/{competition.pk}/apply/")
    assert again.url == competition.get_absolute_url()
    assert said(again) == ["В этом конкурсе от заявителя принимается одна заявка."]
    assert Application.objects.count() == 1


@pytest.mark.parametrize("count", [1, 8])
def test_my_applications_keep_a_fixed_query_count(
    official, django_assert_max_num_queries, login_as, count
):
    organization, leader = applicant_organization()
    for number in range(count):
        competition = open_competition(official, title=f"Конкурс {number}")
        applications.application_create(
            user=leader, competition=competition, organization=organization
        )
    client = login_as(leader)
    with django_assert_max_num_queries(8):
        response = client.get("/grants/mine/")
    assert len(response.context["page"]) == count


def test_my_applications_include_my_organisations_not_others(official, login_as, outsider):
    competition = open_competition(official)
    mine, _leader = submitted_application(competition)
    submitted_application(competition)
    editor = UserFactory()
    MembershipFactory(organization=mine.organization, user=editor, role=Membership.Role.EDITOR)
    assert [a.pk for a in login_as(editor).get("/grants/mine/").context["page"]] == [mine.pk]
    assert list(login_as(outsider).get("/grants/mine/").context["page"]) == []


def test_an_application_page_for_each_reader(client, official, outsider, login_as):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    url = application.get_absolute_url()
    assert client.get(url).status_code == 302
    assert login_as(outsider).get(url).status_code == 404
    assert login_as(official).get("/grants/applications/999999/").status_code == 404
    own = login_as(leader).get(url).context
    assert (own["is_applicant"], own["is_manager"], own["can_withdraw"]) == (True, False, True)
    assert own["reviews"] is None  # not before the results
    staff = login_as(official).get(url).context
    assert (staff["is_applicant"], staff["is_manager"], staff["can_withdraw"]) == (
        False,
        True,
        False,
    )
    assert staff["reviews"] == []


def test_an_expert_reads_the_application_after_declaring_without_names_if_blind(official, login_as):
    competition = open_competition(official, blind_review=True)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    client = login_as(review.expert.user)
    assert client.get(application.get_absolute_url()).url == review.get_absolute_url()
    reviews.conflict_declare(user=review.expert.user, application=application, conflict=False)
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    assert page.context["hide_names"] is True
    assert application.organization.name not in page.content.decode()
    assert page.context["reviews"] is None  # the others' scores after their own
    score_all(review, 8)
    assert len(client.get(application.get_absolute_url()).context["reviews"]) == 1


def test_an_expert_who_declared_a_conflict_no_longer_reads_it(official, login_as):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 3)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    reviews.conflict_declare(
        user=review.expert.user, application=application, conflict=True, reason="Соседи"
    )
    assert login_as(review.expert.user).get(application.get_absolute_url()).status_code == 404


def test_only_the_applicant_opens_the_form(official, login_as, outsider):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    url = f"/grants/applications/{application.pk}/edit/"
    assert login_as(outsider).get(url).status_code == 404
    assert login_as(official).get(url).status_code == 404  # a draft is the applicant's own
    assert login_as(official).post(url, {"title": "Подмена"}).status_code == 404
    assert login_as(leader).get(url).status_code == 200
    application.refresh_from_db()
    assert application.title == ""
    submitted, _other_leader = submitted_application(competition)
    url = f"/grants/applications/{submitted.pk}/edit/"
    assert login_as(official).get(url).status_code == 403  # organisers read, never write
    assert login_as(official).post(url, {"title": "Подмена"}).status_code == 403


def test_after_the_deadline_the_form_is_closed_with_the_reason_and_the_draft_kept(
    official, login_as
):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Было", content={"goals": "Цель"}
    )
    Competition.objects.filter(pk=competition.pk).update(
        applications_close=timezone.now() - timedelta(seconds=1)
    )
    url = f"/grants/applications/{application.pk}/edit/"
    autosave = login_as(leader).post(url, {"title": "Стало", "autosave": "1"})
    assert autosave.status_code == 403
    assert "Приём заявок закончился: заявку изменить нельзя." in autosave.content.decode()
    assert login_as(leader).get(url).status_code == 403
    application.refresh_from_db()
    assert (application.title, application.content["goals"]) == ("Было", "Цель")
    assert login_as(leader).get(application.get_absolute_url()).status_code == 200


def _pdf(name: str = "smeta.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 smeta", "application/pdf")


def test_attachments_are_added_and_removed_by_the_applicant(official, login_as, outsider):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    url = f"/grants/applications/{application.pk}/attach/"
    assert login_as(outsider).post(url, {"title": "Смета", "file": _pdf()}).status_code == 404
    assert login_as(official).post(url, {"title": "Смета", "file": _pdf()}).status_code == 404
    no_file = login_as(leader).post(url, {"title": "Смета"})
    assert said(no_file) == ["Выберите файл и назовите документ."]
    added = login_as(leader).post(url, {"title": "Смета", "file": _pdf()})
    assert said(added) == ["Файл приложен."]
    attachment = application.attachments.get()
    assert (attachment.title, attachment.original_name) == ("Смета", "smeta.pdf")
    delete = f"/grants/attachments/{attachment.pk}/delete/"
    assert login_as(outsider).post(delete).status_code == 404
    assert login_as(official).post(delete).status_code == 404
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert login_as(leader).post(delete).url == f"/grants/applications/{application.pk}/edit/"
    assert not ApplicationAttachment.objects.exists()


def test_a_bad_file_is_refused_with_the_reason(official, login_as):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    response = login_as(leader).post(
        f"/grants/applications/{application.pk}/attach/",
        {"title": "Программа", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
    )
    messages = said(response)
    assert messages[0] == "Файл не подходит."
    assert len(messages) == 2  # and the file's problem, spelled out
    assert not application.attachments.exists()


def test_attachments_only_where_the_call_asks_for_them_and_up_to_twenty(official):
    without = open_competition(official, sections=["budget"])
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=without, organization=organization
    )
    with pytest.raises(DomainError, match="не предусмотрены"):
        applications.application_attach(
            user=leader, application=application, title="Смета", upload=_pdf()
        )
    competition = open_competition(official, title="С приложениями")
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    for number in range(applications.MAX_ATTACHMENTS):
        applications.application_attach(
            user=leader, application=application, title=f"Файл {number}", upload=_pdf()
        )
    with pytest.raises(DomainError, match="Не больше 20 файлов"):
        applications.application_attach(
            user=leader, application=application, title="Лишний", upload=_pdf()
        )
    assert application.attachments.count() == 20


def test_withdrawing_on_the_page(official, login_as, outsider):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    url = f"/grants/applications/{application.pk}/withdraw/"
    assert login_as(leader).get(url).status_code == 405
    assert login_as(outsider).post(url).status_code == 404
    refused = login_as(official).post(url)
    assert said(refused) == ["Заявку меняет только заявитель."]
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    done = login_as(leader).post(url)
    assert said(done) == ["Заявка отозвана. Исправьте её и подайте снова до окончания приёма."]
    application.refresh_from_db()
    assert application.status == A.WITHDRAWN
    again = login_as(leader).post(url)
    assert said(again) == ["Нельзя перейти из состояния «отозвана» в «отозвана»."]
    application.refresh_from_db()
    assert application.status == A.WITHDRAWN
