"""Issue 11 §1 as the tester found it in grants: an official read a draft application
(`/grants/applications/7/` → 200) and its attachment before it was submitted, and the
applicant read the experts' names beside their scores (`GET /api/v1/applications/{id}/
reviews` → «Сергей Чиновников»). A draft is the applicant's own until submitted; experts
are anonymous to applicants. One permission (`permissions.can_view_application`) decides
the page, the API and the file view; one (`permissions.sees_expert_names`) the names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Application
from dobry.grants.services import applications, assignments, reviews
from dobry.grants.tests.factories import (
    applicant_organization,
    complete_content,
    decide,
    expert_pool,
    open_competition,
    score_all,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "plain_member",
    "applicant",
    "editor",
    "official",
    "manager",
    "admin",
    "coordinator",
    "expert",
]
DRAFT_READERS = {"applicant", "editor"}
SUBMITTED_READERS = {"applicant", "editor", "official", "manager", "admin", "expert"}


@pytest.fixture
def world(official):
    competition = open_competition(official)
    manager = UserFactory()
    competition.managers.add(manager)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    attachment = applications.application_attach(
        user=leader,
        application=application,
        title="Смета",
        upload=SimpleUploadedFile("smeta.pdf", b"%PDF-1.4 smeta", "application/pdf"),
    )
    people = {
        "outsider": UserFactory(),
        "plain_member": MembershipFactory(
            organization=organization, role=Membership.Role.MEMBER
        ).user,
        "applicant": leader,
        "editor": MembershipFactory(organization=organization, role=Membership.Role.EDITOR).user,
        "official": official,
        "manager": manager,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "coordinator": UserFactory(is_coordinator=True),
    }
    return competition, application, attachment, people


def _submit(world):
    competition, application, _attachment, people = world
    applications.application_save(
        user=people["applicant"],
        application=application,
        title="Проект",
        content=complete_content(),
    )
    applications.application_submit(user=people["applicant"], application=application)
    application = applications.application_screen(
        actor=people["official"], application=application, decision=Application.Status.ADMITTED
    )
    [expert] = expert_pool(competition, people["official"], 1)
    assignments.review_assign(actor=people["official"], application=application, expert=expert)
    review = application.reviews.get()
    reviews.conflict_declare(user=expert.user, application=application, conflict=False)
    people["expert"] = expert.user
    return review


def _answers(world, role):
    _competition, application, attachment, people = world
    if role == "anonymous":
        page, api, file = Client(), Client(), Client()
    else:
        page = Client()
        page.force_login(people[role])
        api = Client(
            HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=people[role], name='t')[1]}"
        )
        file = page
    download = file.get(attachment.file.url)
    if download.status_code == 200:
        assert b"".join(download.streaming_content) == b"%PDF-1.4 smeta"
    return (
        page.get(f"/grants/applications/{application.pk}/").status_code,
        api.get(f"/api/v1/applications/{application.pk}").status_code,
        download.status_code,
    )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "expert"])
def test_a_draft_is_read_only_by_its_applicant_and_editors_on_page_api_and_file(world, role):
    answers = _answers(world, role)
    if role in DRAFT_READERS:
        assert answers == (200, 200, 200)
    elif role == "anonymous":
        assert answers == (302, 401, 302)
    else:
        assert answers == (404, 404, 404), role


@pytest.mark.parametrize("role", ROLES)
def test_from_submission_on_the_organisers_and_the_expert_read_it_too(world, role):
    _submit(world)
    answers = _answers(world, role)
    if role in SUBMITTED_READERS:
        assert answers == (200, 200, 200), role
    elif role == "anonymous":
        assert answers == (302, 401, 302)
    else:
        assert answers == (404, 404, 404), role


def test_the_organisers_desk_lists_no_drafts(world, login_as):
    competition, application, _attachment, people = world
    applications.application_save(
        user=people["applicant"], application=application, title="Тайный черновик", content={}
    )
    desk = login_as(people["official"]).get(f"/grants/{competition.pk}/manage/")
    assert desk.status_code == 200
    assert "Тайный черновик" not in desk.content.decode()


@pytest.fixture
def results(official):
    """A competition with published results: one application scored by three experts."""
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Проект", content=complete_content()
    )
    applications.application_submit(user=leader, application=application)
    application = applications.application_screen(
        actor=official, application=application, decision=Application.Status.ADMITTED
    )
    experts = expert_pool(competition, official, 3)
    names = ["Сергей Чиновников", "Анна Оценщикова", "Борис Рецензентов"]
    for expert, name in zip(experts, names, strict=True):
        first, last = name.split()
        expert.user.first_name, expert.user.last_name = first, last
        expert.user.save()
        assignments.review_assign(actor=official, application=application, expert=expert)
    for review in application.reviews.order_by("-pk"):  # submitted in the reverse order
        score_all(review, 4)
    decide(competition, official)
    return application, leader, names


def test_the_applicant_reads_expert_1_2_3_in_a_stable_order_on_the_api_and_the_page(results):
    application, leader, names = results
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=leader, name='t')[1]}")
    first = client.get(f"/api/v1/applications/{application.pk}/reviews")
    assert first.status_code == 200
    assert [r["expert"] for r in first.json()] == ["Эксперт 1", "Эксперт 2", "Эксперт 3"]
    again = client.get(f"/api/v1/applications/{application.pk}/reviews").json()
    assert again == first.json()
    page = Client()
    page.force_login(leader)
    text = page.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "Эксперт 1" in text
    assert "Эксперт 3" in text
    for name in names:
        assert name not in first.content.decode()
        assert name not in text


def test_the_organisers_still_see_who_scored_what(results, official):
    application, _leader, names = results
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=official, name='t')[1]}")
    shown = [
        r["expert"] for r in client.get(f"/api/v1/applications/{application.pk}/reviews").json()
    ]
    assert shown == names  # in the order they were assigned
