import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.organizations import services
from dobry.organizations.demo import demo_inn, demo_ogrn
from dobry.organizations.models import Invitation, Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

NKO = {
    "kind": Organization.Kind.SONKO,
    "name": "АНО «Тёплый дом»",
    "inn": demo_inn(777),
    "ogrn": demo_ogrn(777),
    "phone": "8 (391) 975-12-34",
}


def test_proposing_makes_the_proposer_owner_and_tells_coordinators(resident, coordinator):
    organization = services.organization_propose(user=resident, fields=NKO, areas=["elderly"])
    assert organization.status == Organization.Status.PENDING
    assert organization.phone == "+73919751234"
    assert organization.areas == ["elderly"]
    assert Membership.objects.get(organization=organization).role == Membership.Role.OWNER
    assert Notification.objects.filter(user=coordinator, kind="organization_proposed").exists()
    assert AuditEntry.objects.for_object(organization).get().action == "organization.propose"
    assert mail.outbox[0].to == [coordinator.email]


def test_an_initiative_group_has_no_inn_or_ogrn(resident):
    with pytest.raises(ValidationError) as error:
        services.organization_propose(
            user=resident,
            fields={"kind": Organization.Kind.INITIATIVE_GROUP, "name": "ИГ", "inn": NKO["inn"]},
        )
    assert "inn" in error.value.message_dict
    group = services.organization_propose(
        user=resident, fields={"kind": Organization.Kind.INITIATIVE_GROUP, "name": "ИГ «Двор»"}
    )
    assert group.inn == ""


@pytest.mark.parametrize(
    ("field", "value"), [("inn", "7707083894"), ("ogrn", "1027700132196"), ("inn", "")]
)
def test_a_registered_nko_needs_valid_inn_and_ogrn(resident, field, value):
    with pytest.raises(ValidationError) as error:
        services.organization_propose(user=resident, fields={**NKO, field: value})
    assert field in error.value.message_dict
    assert not Organization.objects.exists()


def test_unknown_areas_are_refused(resident):
    with pytest.raises(DomainError):
        services.organization_propose(user=resident, fields=NKO, areas=["astrology"])
    assert not Organization.objects.exists()


def test_verify_and_return_follow_the_transition_table(resident, coordinator):
    organization = services.organization_propose(user=resident, fields=NKO)
    with pytest.raises(DomainError):
        services.organization_return(actor=coordinator, organization=organization, reason=" ")
    services.organization_return(actor=coordinator, organization=organization, reason="Нет ОГРН")
    organization.refresh_from_db()
    assert organization.status == Organization.Status.RETURNED
    assert organization.review_note == "Нет ОГРН"
    assert Notification.objects.filter(user=resident, kind="organization_returned").exists()
    with pytest.raises(InvalidTransition):
        services.organization_verify(actor=coordinator, organization=organization)

    services.organization_update(
        actor=resident, organization=organization, fields={"address": "ул. Ленина, 1"}
    )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.PENDING

    services.organization_verify(actor=coordinator, organization=organization)
    organization.refresh_from_db()
    assert organization.is_verified
    assert organization.reviewed_by == coordinator
    assert Notification.objects.filter(user=resident, kind="organization_verified").exists()
    with pytest.raises(InvalidTransition):
        services.organization_verify(actor=coordinator, organization=organization)


def test_changing_identity_of_a_verified_organisation_sends_it_back_to_review(resident):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    services.organization_update(
        actor=resident, organization=organization, fields={"description": "Новое"}
    )
    organization.refresh_from_db()
    assert organization.is_verified
    services.organization_update(
        actor=resident,
        organization=organization,
        fields={"name": "Другое имя"},
        confirm_review=True,
    )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.PENDING


def test_only_its_editors_send_an_organisation_back_to_review(resident, outsider):
    """Sending back to review is a move of the workflow, made by editing: the service
    refuses it to someone who may not edit (pages and the API check that first)."""
    organization = OrganizationFactory()
    with pytest.raises(DomainError, match="Редактировать могут"):
        services.organization_update(
            actor=outsider, organization=organization, fields={"name": "Другое имя"}
        )
    assert Organization.objects.get(pk=organization.pk).is_verified


def test_invitation_for_a_newcomer_is_emailed_and_accepted_by_that_email(resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    invitation = services.invitation_create(
        actor=resident, organization=organization, email="New@Example.org", role="editor"
    )
    assert mail.outbox[-1].to == ["new@example.org"]
    assert invitation.token in mail.outbox[-1].body
    with pytest.raises(DomainError, match=r"new@example\.org"):
        services.invitation_accept(user=outsider, invitation=invitation)
    outsider.email = "new@example.org"
    outsider.save()
    membership = services.invitation_accept(user=outsider, invitation=invitation)
    assert membership.role == Membership.Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    with pytest.raises(DomainError):
        services.invitation_accept(user=outsider, invitation=invitation)


def test_inviting_an_existing_user_notifies_them_in_the_app(resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    services.invitation_create(
        actor=resident, organization=organization, email=outsider.email, role="member"
    )
    assert Notification.objects.filter(user=outsider, kind="membership_invited").exists()


def test_inviting_a_member_again_is_refused(resident):
    membership = MembershipFactory(user=resident, role=Membership.Role.OWNER)
    with pytest.raises(DomainError, match="уже состоит"):
        services.invitation_create(
            actor=resident,
            organization=membership.organization,
            email=resident.email,
            role="member",
        )


def test_the_last_owner_cannot_leave_or_be_demoted(resident, outsider):
    owner = MembershipFactory(user=resident, role=Membership.Role.OWNER)
    with pytest.raises(DomainError):
        services.membership_remove(actor=resident, membership=owner)
    with pytest.raises(DomainError):
        services.membership_set_role(actor=resident, membership=owner, role="member")
    second = MembershipFactory(organization=owner.organization, user=outsider)
    services.membership_set_role(actor=resident, membership=second, role="owner")
    services.membership_remove(actor=resident, membership=owner)
    assert not Membership.objects.filter(pk=owner.pk).exists()
    assert AuditEntry.objects.filter(action="membership.leave").exists()
