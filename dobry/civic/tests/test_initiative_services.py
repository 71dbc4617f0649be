"""Posting, editing and moving initiatives; the timeline; results with photos; who may."""

import pytest
from django.core.exceptions import ValidationError

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative, TimelineEntry
from dobry.civic.services.initiatives import (
    initiative_move,
    initiative_save,
    timeline_post,
)
from dobry.civic.tests.factories import (
    InitiativeFactory,
    TeamMemberFactory,
    coordinator,
    district,
    picture,
)
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.core.text_limits import MESSAGE
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TEXTS = {"title": "Сад на крыше", "problem": "Серые крыши.", "idea": "Посадить сад."}


def test_a_resident_posts_an_initiative_that_starts_as_an_idea_and_follows_it():
    author = UserFactory()
    initiative = initiative_save(
        actor=author, district=district(), needed_skills="Садовник, столяр", **TEXTS
    )
    assert initiative.status == Initiative.Status.IDEA
    assert initiative.author == author
    assert initiative.skills == ["садовник", "столяр"]
    assert initiative.follows.filter(user=author).exists()
    assert list(initiative.timeline.values_list("stage", flat=True)) == ["idea"]
    assert AuditEntry.objects.for_object(initiative).get().action == "civic.initiative_create"


def test_an_initiative_group_behind_it_must_be_one_the_author_edits():
    author = UserFactory()
    group = OrganizationFactory(kind=Organization.Kind.INITIATIVE_GROUP)
    with pytest.raises(DomainError) as refused:
        initiative_save(actor=author, group=group, **TEXTS)
    assert "group" in refused.value.field_errors
    MembershipFactory(organization=group, user=author, role=Membership.Role.OWNER)
    assert initiative_save(actor=author, group=group, **TEXTS).group == group


def test_an_editor_of_the_group_edits_the_initiative():
    group = OrganizationFactory(kind=Organization.Kind.INITIATIVE_GROUP)
    editor = UserFactory()
    MembershipFactory(organization=group, user=editor, role=Membership.Role.EDITOR)
    initiative = InitiativeFactory(group=group)
    saved = initiative_save(actor=editor, initiative=initiative, **{**TEXTS, "title": "Новое"})
    assert saved.title == "Новое"


def test_the_anonymous_visitor_may_not_post():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        initiative_save(actor=AnonymousUser(), **TEXTS)


@pytest.mark.parametrize("role", ["outsider", "team member"])
def test_only_the_author_and_coordinators_edit(role):
    initiative = InitiativeFactory()
    actor = UserFactory()
    if role == "team member":
        TeamMemberFactory(initiative=initiative, user=actor)
    with pytest.raises(PermissionDenied):
        initiative_save(actor=actor, initiative=initiative, **TEXTS)
    assert (
        initiative_save(actor=coordinator(), initiative=initiative, **TEXTS).title == "Сад на крыше"
    )


def test_texts_over_their_limits_and_bad_money_are_refused_at_their_fields():
    author = UserFactory()
    with pytest.raises(DomainError) as refused:
        initiative_save(actor=author, **{**TEXTS, "idea": "и" * (MESSAGE + 1)})
    assert "idea" in refused.value.field_errors
    from decimal import Decimal

    with pytest.raises(ValidationError) as invalid:
        initiative_save(actor=author, needed_money=Decimal("-5"), **TEXTS)
    assert "needed_money" in invalid.value.message_dict
    with pytest.raises(ValidationError):
        initiative_save(actor=author, **{**TEXTS, "title": "  "})
    assert not Initiative.objects.exists()


def test_stages_move_with_notes_on_the_public_timeline_and_followers_are_told():
    initiative = InitiativeFactory()
    follower = UserFactory()
    initiative.follows.create(user=follower)
    initiative_move(actor=initiative.author, initiative=initiative, name="gather", note="Собираем")
    staff = coordinator()
    initiative_move(actor=staff, initiative=initiative, name="to_centre", note="Берём")
    initiative_move(actor=staff, initiative=initiative, name="start")
    initiative_move(actor=initiative.author, initiative=initiative, name="finish", note="Готово")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.DONE
    moves = TimelineEntry.objects.filter(initiative=initiative).exclude(moved_from="")
    assert [(e.moved_from, e.stage) for e in moves] == [
        ("idea", "gathering"),
        ("gathering", "resource_centre"),
        ("resource_centre", "in_progress"),
        ("in_progress", "done"),
    ]
    assert moves.first().note == "Собираем"
    assert Notification.objects.filter(user=follower, kind="initiative_update").count() == 4


def test_only_coordinators_take_an_initiative_into_the_resource_centre():
    initiative = InitiativeFactory(status=Initiative.Status.GATHERING)
    with pytest.raises(PermissionDenied):
        initiative_move(actor=initiative.author, initiative=initiative, name="to_centre")
    with pytest.raises(PermissionDenied):
        initiative_move(actor=UserFactory(), initiative=initiative, name="gather")


def test_a_move_the_stage_does_not_allow_is_a_conflict():
    initiative = InitiativeFactory()
    with pytest.raises(InvalidTransition):
        initiative_move(actor=initiative.author, initiative=initiative, name="finish")
    with pytest.raises(DomainError):
        initiative_move(actor=initiative.author, initiative=initiative, name="nonsense")


def test_the_team_posts_results_with_photos_described_for_those_who_cannot_see_them(settings):
    initiative = InitiativeFactory(status=Initiative.Status.IN_PROGRESS)
    member = TeamMemberFactory(initiative=initiative).user
    with pytest.raises(ValidationError):
        timeline_post(actor=member, initiative=initiative, note="Скамейки", photo=picture())
    entry = timeline_post(
        actor=member, initiative=initiative, note="Скамейки стоят", photo=picture(),
        photo_alt="Пять скамеек у озера",
    )  # fmt: skip
    assert entry.photo.name.startswith("initiatives/")
    assert not entry.is_move
    with pytest.raises(PermissionDenied):
        timeline_post(actor=UserFactory(), initiative=initiative, note="Чужое")
    with pytest.raises(DomainError):
        timeline_post(actor=member, initiative=initiative, note=" ")


def test_a_result_photo_that_is_not_a_picture_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    initiative = InitiativeFactory()
    with pytest.raises((DomainError, ValidationError)):
        timeline_post(
            actor=initiative.author, initiative=initiative, note="Фото",
            photo=SimpleUploadedFile("x.png", b"not a picture", "image/png"), photo_alt="Фото",
        )  # fmt: skip
    assert not TimelineEntry.objects.exclude(photo="").exists()
