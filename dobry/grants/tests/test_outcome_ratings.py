"""Residents' ratings of a finished project (`services.outcomes.project_rate`): 1–5
stars, one per account (a second rating changes the first), taken back; refused to those
who made or judged the project, before the project is finished, and out of range."""

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.permissions import Actor
from dobry.grants import permissions
from dobry.grants.models import Agreement, Expert, ProjectRating, Review
from dobry.grants.services import outcomes
from dobry.grants.tests.outcomes import finished_project, grantee_of, official_of, running_project
from dobry.organizations.models import Membership

pytestmark = pytest.mark.django_db


def test_a_resident_rates_a_finished_project_and_the_summary_counts_it():
    project = finished_project()
    for score in (5, 4, 4):
        outcomes.project_rate(actor=UserFactory(), agreement=project, score=score)
    found = outcomes.rating_summary(project)
    assert (str(found.average), found.count) == ("4.3", 3)
    assert found.counts == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}


def test_no_ratings_have_no_average():
    found = outcomes.rating_summary(finished_project())
    assert (found.average, found.count) == (None, 0)


def test_rating_again_changes_the_one_rating_of_the_account():
    project, resident = finished_project(), UserFactory()
    first = outcomes.project_rate(actor=resident, agreement=project, score=2)
    second = outcomes.project_rate(actor=resident, agreement=project, score=5)
    assert first.pk == second.pk
    assert list(ProjectRating.objects.values_list("score", flat=True)) == [5]


def test_the_same_stars_again_write_nothing_new():
    project, resident = finished_project(), UserFactory()
    first = outcomes.project_rate(actor=resident, agreement=project, score=3)
    again = outcomes.project_rate(actor=resident, agreement=project, score=3)
    assert again.updated_at == first.updated_at


def test_a_resident_takes_back_their_rating():
    project, resident = finished_project(), UserFactory()
    outcomes.project_rate(actor=resident, agreement=project, score=1)
    outcomes.project_rate(actor=UserFactory(), agreement=project, score=5)
    outcomes.project_unrate(actor=resident, agreement=project)
    outcomes.project_unrate(actor=resident, agreement=project)
    assert list(ProjectRating.objects.values_list("score", flat=True)) == [5]


def test_a_running_project_is_not_rated_yet_with_a_reason():
    with pytest.raises(InvalidTransition) as refused:
        outcomes.project_rate(actor=UserFactory(), agreement=running_project(), score=5)
    assert refused.value.message == (
        "Проект ещё идёт: оценить его можно после принятия итогового отчёта."
    )
    assert not ProjectRating.objects.exists()


def test_a_closed_agreement_counts_as_finished_even_without_a_report():
    project = running_project()
    Agreement.objects.filter(pk=project.pk).update(status=Agreement.Status.CLOSED)
    project.refresh_from_db()
    assert permissions.is_finished(project)
    outcomes.project_rate(actor=UserFactory(), agreement=project, score=4)


@pytest.mark.parametrize("score", [0, 6, -1, 100, True, None, "5", 4.5])
def test_stars_out_of_range_are_refused_at_the_field(score):
    with pytest.raises(DomainError) as refused:
        outcomes.project_rate(actor=UserFactory(), agreement=finished_project(), score=score)
    assert refused.value.field_errors == {"score": ["Оценка — целое число от 1 до 5."]}


def _insiders(project: Agreement) -> dict[str, Actor]:
    application = project.application
    volunteer = UserFactory()
    Membership.objects.create(
        organization=application.organization, user=volunteer, role=Membership.Role.MEMBER
    )
    official = UserFactory(is_official=True)
    expert = Expert.objects.create(
        competition=application.competition, user=UserFactory(), sector=Expert.Sector.NKO
    )
    Review.objects.create(application=application, expert=expert, due_at=timezone.now())
    return {
        "grantee": grantee_of(application),
        "member": volunteer,
        "manager": official_of(project),
        "official": official,
        "expert": expert.user,
    }


@pytest.mark.parametrize("role", ["grantee", "member", "manager", "official", "expert"])
def test_those_who_made_or_judged_the_project_do_not_rate_it(role):
    project = finished_project()
    insider = _insiders(project)[role]
    with pytest.raises(PermissionDenied) as refused:
        outcomes.project_rate(actor=insider, agreement=project, score=5)
    assert "жители" in refused.value.message
    assert not ProjectRating.objects.exists()


def test_anonymous_is_asked_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    decision = permissions.can_rate_project(AnonymousUser(), finished_project())
    assert not decision
    assert str(decision.reason) == "Войдите, чтобы оценить проект."


def test_the_database_keeps_one_rating_per_account():
    from django.db import IntegrityError, transaction

    project, resident = finished_project(), UserFactory()
    ProjectRating.objects.create(agreement=project, author=resident, score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectRating.objects.create(agreement=project, author=resident, score=4)


def test_the_database_refuses_stars_out_of_range():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectRating.objects.create(agreement=finished_project(), author=UserFactory(), score=6)
