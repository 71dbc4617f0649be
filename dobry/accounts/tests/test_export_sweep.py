"""The personal-data export gives the person everything every app keeps about them (152-ФЗ
art. 14, issue 11 §1): each app contributes its part through `accounts.personal_data`, the
same registry as erasure.

Every relation of any installed model to the user (found through the app registry, so a new
model cannot be forgotten) is either covered by a section of the export or declared not the
person's data, with the reason. A person with data in every app (the erasure sweep's, and
the rest seeded here) downloads the export: each covered relation has rows for them, and
each appears in the export."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.accounts.services import api_token_create
from dobry.accounts.tests.test_erasure_sweep import (  # noqa: F401 (fixtures)
    ADDRESS,
    EMAIL,
    FIRST,
    LAST,
    PHONE,
    coordinator,
    person_everywhere,
)
from dobry.communications.models import (
    Delivery,
    Mailing,
    MailingContact,
    NotificationPreference,
    Segment,
)
from dobry.communications.tests.factories import NewsItemFactory
from dobry.core.models import AuditEntry
from dobry.festivals.models import Selection, SessionRegistration, Speaker, StandApplication
from dobry.festivals.tests.factories import festival
from dobry.grants.models import Expert, ProjectComment, ProjectCommentReport, ProjectRating
from dobry.grants.tests.factories import open_competition
from dobry.grants.tests.outcomes import finished_project
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.models import (
    Decision,
    GroupMember,
    GroupTask,
    Meeting,
    ProjectGroup,
    RoomBooking,
)
from dobry.resources.tests.factories import RoomFactory
from dobry.volunteering.models import Qualification, VolunteerQualification

BOOKING = "Репетиция хора Следокоповой"
CONTACT_SOURCE = "анкета на ярмарке"


def _relations() -> list[tuple[type[models.Model], str]]:
    """(model, field) of every concrete relation of an installed model to the user."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is User
    ]


def _label(model: type[models.Model], field: str) -> str:
    return f"{model._meta.label}.{field}"


def _at(export: dict, path: str) -> object:
    value: object = export
    for key in path.split("."):
        assert isinstance(value, dict), path
        value = value[key]
    return value


def test_every_relation_to_a_person_is_exported_or_declared_not_personal(db):
    covers, not_personal = personal_data.export_coverage()
    relations = {_label(model, field) for model, field in _relations()}
    forgotten = sorted(relations - set(covers) - set(not_personal))
    assert forgotten == [], f"add each to an app's privacy.py (covers or not_personal): {forgotten}"
    assert sorted(set(covers) & set(not_personal)) == []
    # no declaration outlives its field
    assert sorted((set(covers) | set(not_personal)) - relations) == []
    assert all(len(reason) > 20 for reason in not_personal.values())


def _the_rest(person, official):
    """What the erasure sweep's person does not have yet: a room booked, a project group
    and its task, a qualification, an expert's seat, help given, a mailing received and the
    contact record it was sent to, a preference, news, a token, two-factor, admin work, a
    finished grant project rated, commented on and a comment reported, a festival's session
    chosen, registered for and spoken at, a stand applied for."""
    room = RoomFactory()
    start = timezone.now() + timedelta(days=3)
    RoomBooking.objects.create(
        room=room,
        organization=room.owner,
        booked_by=person,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        purpose=BOOKING,
    )
    group = ProjectGroup.objects.create(title="Школа НКО", created_by=person)
    GroupMember.objects.create(group=group, user=person)
    meeting = Meeting.objects.create(group=group, starts_at=start, agenda="План")
    decision = Decision.objects.create(meeting=meeting, text="Собрать отчёт")
    GroupTask.objects.create(decision=decision, title="Отчёт", owner=person, due_on=start.date())
    qualification = Qualification.objects.create(name="Медкнижка", slug="medbook")
    VolunteerQualification.objects.create(user=person, qualification=qualification)
    Expert.objects.create(
        competition=open_competition(official), user=person, sector=Expert.Sector.NKO
    )
    project = finished_project(official)
    ProjectRating.objects.create(agreement=project, author=person, score=5)
    ProjectComment.objects.create(agreement=project, author=person, text="Спасибо за каток")
    ProjectCommentReport.objects.create(
        comment=ProjectComment.objects.create(agreement=project, text="Реклама"),
        reporter=person,
        reason="спам",
    )
    forum = festival()
    first = forum.sessions[0]
    Selection.objects.create(session=first, user=person)
    SessionRegistration.objects.create(session=first, user=person)
    Speaker.objects.create(session=first, name=f"{FIRST} {LAST}", user=person)
    StandApplication.objects.create(
        programme=forum.programme,
        organization=OrganizationFactory(),
        submitted_by=person,
        exhibit="Фотовыставка",
    )
    helped = HelpRequestFactory(status=HelpRequest.Status.DONE)
    HelpOffer.objects.create(
        request=helped,
        volunteer=person,
        status=HelpOffer.Status.ACCEPTED,
        expires_at=timezone.now(),
    )
    HelpReport.objects.create(
        request=helped, volunteer=person, text="Привезла", hours=Decimal(1), day=start.date()
    )
    contact = MailingContact.objects.create(email=EMAIL, name=FIRST, source=CONTACT_SOURCE)
    mailing = Mailing.objects.create(
        subject="Новости месяца",
        body_text="Текст",
        segment=Segment.objects.create(name="Все"),
    )
    Delivery.objects.create(mailing=mailing, email=EMAIL, user=person, contact=contact)
    NotificationPreference.objects.create(user=person, kind="news", email=False)
    NewsItemFactory(author=person)
    api_token_create(user=person, name="скрипт")
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={})
    LogEntry.objects.create(
        user=person,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr="Запись",
        action_flag=ADDITION,
        change_message="",
    )


@pytest.fixture
def exported(person_everywhere, official, login_as):  # noqa: F811
    _the_rest(person_everywhere, official)
    response = login_as(person_everywhere).post("/profile/export/")
    assert response.status_code == 200
    return person_everywhere, response.json()


def test_each_relation_to_the_person_appears_in_the_export(exported):
    person, export = exported
    covers, _reasons = personal_data.export_coverage()
    models_by_label = {_label(model, field): model for model, field in _relations()}
    missing = []
    for label, path in sorted(covers.items()):
        field = label.rsplit(".", 1)[1]
        rows = models_by_label[label]._default_manager.filter(**{field: person})
        assert rows.exists(), f"seed {label} for the sweep"
        if not _at(export, path):
            missing.append(f"{label} → {path}")
    assert missing == [], "\n".join(missing)


def test_the_export_holds_what_was_missing_before(exported):
    """The person's own help requests in full, room bookings, the mailing contact record."""
    _person, export = exported
    own = export["help_requests"]["requests"]
    asked = next(r for r in own if r["recipient_phone"] == PHONE)
    assert asked["recipient_name"] == f"{FIRST} {LAST}"
    assert asked["address"] == ADDRESS
    assert asked["details"] == f"Пишите на {EMAIL}"
    assert asked["closed_at"] is not None
    assert asked["feedback"] == f"Спасибо! {FIRST}"
    # the request the person made for a relative is the relative's: no names, no health
    for_others = export["help_requests"]["requests_for_others"]
    assert for_others
    assert all(
        set(r) == {"summary", "category", "relation", "status", "created_at"} for r in for_others
    )
    assert export["help_requests"]["reports"][0]["text"] == "Привезла"
    assert [b["purpose"] for b in export["room_bookings"]] == [BOOKING]
    contact = export["communications"]["mailing_contact"]
    assert [(c["email"], c["source"]) for c in contact] == [(EMAIL, CONTACT_SOURCE)]
    assert export["project_groups"]["tasks"][0]["task"] == "Отчёт"
    assert export["support_received"]
    assert export["grants"]["expert_seats"][0]["sector"] == Expert.Sector.NKO
    assert export["account"]["two_factor"][0]["type"] == Authenticator.Type.TOTP
    assert "data" not in export["account"]["two_factor"][0]
    assert export["organization_invitations"]


def test_the_export_gives_the_person_the_health_information_of_their_own_requests(
    person_everywhere,  # noqa: F811
    login_as,
):
    mine = HelpRequestFactory(
        requester=person_everywhere,
        relation=HelpRequest.Relation.SELF,
        recipient_phone=PHONE,
        summary="Сопроводить в поликлинику",
    )
    HealthInfo.objects.create(help_request=mine, text="Слабослышащая", consent_at=timezone.now())
    HelpRequest.objects.filter(pk=mine.pk).update(has_health_info=True)

    export = login_as(person_everywhere).post("/profile/export/").json()

    row = next(r for r in export["help_requests"]["requests"] if r["summary"] == mine.summary)
    assert row["health_info"] == "Слабослышащая"
    assert row["health_consent_at"] is not None
    # the reading of health data is audited, the data subject's own too
    assert AuditEntry.objects.filter(
        actor=person_everywhere, action="helprequest.health_read", object_id=str(mine.pk)
    ).exists()
