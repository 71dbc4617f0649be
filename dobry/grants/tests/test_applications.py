from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification, OutboundEmail
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.grants.models import Application, Competition
from dobry.grants.services import applications
from dobry.grants.tests.factories import (
    applicant_organization,
    close_applications,
    complete_content,
    open_competition,
    submitted_application,
)
from dobry.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db

A = Application.Status


def test_new_competition_starts_with_the_presidential_grants_fund_criteria(official):
    competition = open_competition(official)
    criteria = list(competition.criteria.all())
    assert len(criteria) == 10
    assert criteria[0].title == "Актуальность и социальная значимость проекта"
    assert {(c.weight, c.max_score) for c in criteria} == {(1, 10)}
    assert competition.eligible_kinds == ["sonko", "public_association"]


def test_a_draft_keeps_everything_typed_and_submission_points_at_the_fields(official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    content = complete_content()
    content["budget"][0]["requested"] = "90 000"  # 90 000 + 10 000 ≠ 110 000
    del content["problem"]
    applications.application_save(user=leader, application=application, title="", content=content)
    # a cell that is no number at all is refused when saving, and the draft stays as it was
    unreadable = content | {"indicators": [content["indicators"][0] | {"target": "много"}]}
    with pytest.raises(DomainError) as refused:
        applications.application_save(
            user=leader, application=application, title="", content=unreadable
        )
    assert "content.indicators.0.target" in refused.value.field_errors

    with pytest.raises(DomainError) as error:
        applications.application_submit(user=leader, application=application)
    assert set(error.value.field_errors) >= {
        "title",
        "content.problem",
        "content.budget.0.requested",
    }
    application.refresh_from_db()
    assert application.status == A.DRAFT
    assert application.content["indicators"][0]["target"] != "много"
    assert application.content["budget"][0]["requested"] == "90 000"
    assert application.number == ""


def test_submission_freezes_a_version_numbers_it_and_sends_a_receipt(official):
    competition = open_competition(official)
    application, leader = submitted_application(competition, amount=120_000)
    assert application.status == A.SUBMITTED
    assert application.number == f"{competition.applications_open.year}-{competition.pk}-001"
    assert application.requested_amount == 120_000
    version = application.versions.get()
    assert version.version == 1
    assert version.content["goals"] == "Снизить одиночество."
    receipt = Notification.objects.get(user=leader, kind="grant_application_received")
    assert application.number in receipt.title
    assert OutboundEmail.objects.filter(to=leader.email, subject=receipt.title).exists()
    with pytest.raises(InvalidTransition):
        applications.application_save(
            user=leader, application=application, title="Другое", content={}
        )


def test_budget_outside_the_grant_limits_is_refused(official):
    competition = open_competition(official, min_grant=50_000)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Проект", content=complete_content(400_000)
    )
    with pytest.raises(DomainError) as error:
        applications.application_submit(user=leader, application=application)
    assert "content.budget" in error.value.field_errors


def test_withdraw_and_resubmit_before_the_deadline_and_nothing_after(official):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    number = application.number
    applications.application_withdraw(user=leader, application=application)
    applications.application_save(
        user=leader, application=application, title="Проект, исправленный", content={}
    )
    application = applications.application_submit(user=leader, application=application)
    assert application.number == number
    assert application.versions.count() == 2
    assert application.versions.first().title == "Проект, исправленный"

    close_applications(competition)
    with pytest.raises(InvalidTransition):
        applications.application_withdraw(user=leader, application=application)

    late = Application.objects.create(competition=competition, applicant=leader, title="x")
    with pytest.raises(InvalidTransition):
        applications.application_save(user=leader, application=late, content={"goals": "y"})
    with pytest.raises(InvalidTransition):
        applications.application_create(
            user=UserFactory(), competition=competition, organization=None
        )


def test_eligibility_rules_are_checked_when_starting(official):
    competition = open_competition(official, min_registered_months=12)
    organization, leader = applicant_organization(founded_on=timezone.localdate())
    with pytest.raises(DomainError, match="не менее 12"):
        applications.application_create(
            user=leader, competition=competition, organization=organization
        )
    business, owner = applicant_organization(kind=Organization.Kind.BUSINESS)
    with pytest.raises(DomainError, match="не участвуют"):
        applications.application_create(user=owner, competition=competition, organization=business)
    stranger = UserFactory()
    old, _leader = applicant_organization(founded_on=timezone.localdate() - timedelta(days=800))
    with pytest.raises(DomainError, match="руководитель или редактор"):
        applications.application_create(user=stranger, competition=competition, organization=old)


def test_one_application_per_applicant(official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    applications.application_create(user=leader, competition=competition, organization=organization)
    with pytest.raises(DomainError, match="одна заявка"):
        applications.application_create(
            user=leader, competition=competition, organization=organization
        )


def test_residents_contest_takes_applications_in_ones_own_name(official, resident):
    competition = open_competition(official, kind=Competition.Kind.INDIVIDUALS)
    application = applications.application_create(user=resident, competition=competition)
    assert application.organization is None
    assert application.applicant == resident
    organization, leader = applicant_organization()
    with pytest.raises(DomainError):
        applications.application_create(
            user=leader, competition=competition, organization=organization
        )


def test_only_the_applicant_edits(official, outsider):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    with pytest.raises(PermissionDenied):
        applications.application_save(user=outsider, application=application, content={})


def test_returned_once_with_a_deadline_that_outlives_the_call(official):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    with pytest.raises(DomainError) as error:
        applications.application_screen(
            actor=official, application=application, decision=A.RETURNED, reason="documents"
        )
    assert "returned_until" in error.value.field_errors
    applications.application_screen(
        actor=official,
        application=application,
        decision=A.RETURNED,
        reason="documents",
        comment="Приложите устав.",
        returned_until=timezone.now() + timedelta(days=3),
    )
    close_applications(competition)
    applications.application_save(
        user=leader, application=application, content={"partners": "Библиотека и школа"}
    )
    application = applications.application_submit(user=leader, application=application)
    assert application.status == A.SUBMITTED
    with pytest.raises(InvalidTransition, match="только один раз"):
        applications.application_screen(
            actor=official,
            application=application,
            decision=A.RETURNED,
            reason="documents",
            returned_until=timezone.now() + timedelta(days=3),
        )
    refused = applications.application_screen(
        actor=official, application=application, decision=A.NOT_ADMITTED, reason="scope"
    )
    assert refused.screening_reason == "scope"


def test_not_admitting_needs_a_reason_from_the_list(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    with pytest.raises(DomainError) as error:
        applications.application_screen(
            actor=official, application=application, decision=A.NOT_ADMITTED, reason="whim"
        )
    assert "reason" in error.value.field_errors


def test_personal_data_export_and_erasure(official):
    from dobry.accounts import personal_data

    competition = open_competition(official)
    submitted, leader = submitted_application(competition, title="Поданная")
    other = open_competition(official, title="Второй конкурс")
    organization = submitted.organization
    draft = applications.application_create(
        user=leader, competition=other, organization=organization
    )
    residents = open_competition(
        official, title="Конкурс жителей", kind=Competition.Kind.INDIVIDUALS
    )
    own_draft = applications.application_create(user=leader, competition=residents)
    exported = personal_data.export_sections(leader)["grants"]
    assert sorted(a["title"] for a in exported["applications"]) == ["", "", "Поданная"]
    personal_data.erase_sections(leader)
    # The leader's own draft as a resident goes; the organisation's draft is the
    # organisation's (its other editors carry on with it), like the submitted application.
    assert not Application.objects.filter(pk=own_draft.pk).exists()
    assert Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.filter(pk=submitted.pk).exists()


def test_erasing_the_editor_who_started_an_organisations_draft_leaves_it_to_the_others(
    official, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dobry.accounts.services import user_erase
    from dobry.organizations.tests.factories import MembershipFactory

    competition = open_competition(official)
    organization, leader = applicant_organization()
    editor = MembershipFactory(organization=organization, role=Membership.Role.EDITOR).user
    draft = applications.application_create(
        user=editor, competition=competition, organization=organization
    )
    applications.application_save(
        user=editor, application=draft, title="Прогулки", content=complete_content()
    )
    attachment = applications.application_attach(
        user=editor,
        application=draft,
        title="Смета",
        upload=SimpleUploadedFile("smeta.pdf", b"%PDF-1.4 smeta"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=editor, actor=None)

    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Прогулки", Application.Status.DRAFT)
    # her upload, seen by nobody outside, goes with its name (grants.privacy); the others
    # attach their own and submit
    assert not draft.attachments.exists()
    assert not Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, attachment.file.name).exists()
    submitted = applications.application_submit(user=leader, application=draft)
    assert submitted.number


def test_attachments_are_checked_and_frozen_with_the_version(official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    with pytest.raises(DomainError) as error:
        applications.application_attach(
            user=leader,
            application=application,
            title="Программа",
            upload=SimpleUploadedFile("virus.exe", b"MZ..."),
        )
    assert "file" in error.value.field_errors
    applications.application_attach(
        user=leader,
        application=application,
        title="Устав",
        upload=SimpleUploadedFile("ustav.pdf", b"%PDF-1.4 charter"),
    )
    applications.application_save(
        user=leader, application=application, title="Проект", content=complete_content()
    )
    submitted = applications.application_submit(user=leader, application=application)
    assert submitted.versions.get().attachments[0]["title"] == "Устав"
    with pytest.raises(InvalidTransition):
        applications.application_attach(
            user=leader,
            application=submitted,
            title="Ещё",
            upload=SimpleUploadedFile("more.pdf", b"%PDF-1.4"),
        )


def test_the_applicant_is_told_of_the_screening_decision(official):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    applications.application_screen(
        actor=official,
        application=application,
        decision=A.NOT_ADMITTED,
        reason="applicant",
        comment="Организация зарегистрирована в другом городе.",
    )
    notice = Notification.objects.get(user=leader, kind="grant_application_screened")
    assert "не допущена" in notice.title
    assert "другом городе" in notice.body
