"""Verification: the review table, what sends a verified organisation back to review, who is
told, and the same rules through the pages and the API."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import District
from dobry.organizations import services
from dobry.organizations.demo import demo_inn, demo_ogrn
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

S = Organization.Status
R = Membership.Role


def status_of(organization) -> str:
    organization.refresh_from_db()
    return organization.status


@pytest.mark.parametrize(
    ("start", "move", "allowed"),
    [
        (S.PENDING, "verify", True),
        (S.PENDING, "return", True),
        (S.VERIFIED, "verify", False),
        (S.VERIFIED, "return", True),
        (S.RETURNED, "verify", False),
        (S.RETURNED, "return", False),
    ],
)
def test_the_review_table(coordinator, start, move, allowed):
    organization = OrganizationFactory(status=start)
    moves = {
        "verify": lambda: services.organization_verify(
            actor=coordinator, organization=organization
        ),
        "return": lambda: services.organization_return(
            actor=coordinator, organization=organization, reason="Уточните устав"
        ),
    }
    if allowed:
        moves[move]()
        assert status_of(organization) == (S.VERIFIED if move == "verify" else S.RETURNED)
        return
    with pytest.raises(InvalidTransition):
        moves[move]()
    assert status_of(organization) == start


def test_verifying_clears_the_old_note_and_tells_owners_and_editors_only(coordinator):
    organization = OrganizationFactory(status=S.PENDING, review_note="Нет ОГРН")
    owner, editor, member = (
        MembershipFactory(organization=organization, role=role).user
        for role in (R.OWNER, R.EDITOR, R.MEMBER)
    )
    services.organization_verify(actor=coordinator, organization=organization)
    organization.refresh_from_db()
    assert (organization.review_note, organization.reviewed_by) == ("", coordinator)
    told = set(
        Notification.objects.filter(kind="organization_verified").values_list("user", flat=True)
    )
    assert told == {owner.pk, editor.pk}
    assert member.pk not in told


def test_a_reason_is_kept_trimmed(coordinator):
    organization = OrganizationFactory(status=S.PENDING)
    services.organization_return(
        actor=coordinator, organization=organization, reason="  Уточните адрес  "
    )
    organization.refresh_from_db()
    assert organization.review_note == "Уточните адрес"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", Organization.Kind.PUBLIC_ASSOCIATION),
        ("name", "АНО «Другое имя»"),
        ("short_name", "Администрация ЗАТО г. Железногорск"),  # events show the short name
        ("legal_form", "МКУ"),
        ("inn", demo_inn(4242)),
        ("ogrn", demo_ogrn(4242)),
    ],
)
def test_a_change_of_identity_sends_a_verified_organisation_back_to_review(
    resident, coordinator, field, value
):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=R.OWNER)
    services.organization_update(
        actor=resident, organization=organization, fields={field: value}, confirm_review=True
    )
    assert status_of(organization) == S.PENDING
    assert Notification.objects.filter(user=coordinator, kind="organization_proposed").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "Новое"), ("address", "ул. Ленина, 1"), ("website", "https://x.ru")],
)
def test_other_changes_keep_the_badge(resident, coordinator, field, value):
    organization = OrganizationFactory()
    services.organization_update(actor=resident, organization=organization, fields={field: value})
    assert status_of(organization) == S.VERIFIED
    assert not Notification.objects.filter(kind="organization_proposed").exists()


def test_an_update_with_an_unknown_field_or_area_changes_nothing(resident):
    organization = OrganizationFactory(description="Было")
    organization.area_links.create(area="elderly")
    with pytest.raises(DomainError, match="Неизвестные поля: status"):
        services.organization_update(
            actor=resident, organization=organization, fields={"status": "verified"}
        )
    with pytest.raises(DomainError):
        services.organization_update(
            actor=resident,
            organization=organization,
            fields={"description": "Стало"},
            areas=["astrology"],
        )
    organization.refresh_from_db()
    assert organization.areas == ["elderly"]


def test_areas_are_replaced_by_the_new_set(resident):
    organization = OrganizationFactory()
    organization.area_links.create(area="elderly")
    organization.area_links.create(area="social")
    services.organization_update(
        actor=resident, organization=organization, fields={}, areas=["social", "sport"]
    )
    organization.refresh_from_db()
    assert sorted(organization.areas) == ["social", "sport"]


def test_a_founding_date_in_the_future_is_refused(resident, freeze_now):
    from datetime import date, datetime

    from django.core.exceptions import ValidationError

    from dobry.core.clock import city_zone

    freeze_now(datetime(2031, 3, 10, 0, 30, tzinfo=city_zone()))
    organization = OrganizationFactory()
    services.organization_update(
        actor=resident, organization=organization, fields={"founded_on": date(2031, 3, 10)}
    )
    with pytest.raises(ValidationError) as error:
        services.organization_update(
            actor=resident, organization=organization, fields={"founded_on": date(2031, 3, 11)}
        )
    assert "founded_on" in error.value.message_dict


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["verify", "return"])
def test_review_actions_send_anonymous_to_log_in_and_are_post_only(
    client, login_as, coordinator, action
):
    organization = OrganizationFactory(status=S.PENDING)
    url = f"/organizations/{organization.pk}/{action}/"
    assert client.post(url, {"reason": "x"})["Location"].startswith("/accounts/login/")
    assert login_as(coordinator).get(url).status_code == 405
    assert status_of(organization) == S.PENDING


@pytest.mark.parametrize("role", [R.OWNER, R.EDITOR, R.MEMBER])
def test_members_cannot_review_their_own_organisation(login_as, role):
    organization = OrganizationFactory(status=S.PENDING)
    user = MembershipFactory(organization=organization, role=role).user
    for action in ("verify", "return"):
        response = login_as(user).post(
            f"/organizations/{organization.pk}/{action}/", {"reason": "x"}
        )
        assert response.status_code == 403
    assert status_of(organization) == S.PENDING


def test_verifying_twice_on_the_page_is_a_message(login_as, coordinator):
    organization = OrganizationFactory(status=S.PENDING)
    client = login_as(coordinator)
    first = client.post(f"/organizations/{organization.pk}/verify/", follow=True)
    assert "Организация проверена и отмечена значком." in first.content.decode()
    again = client.post(f"/organizations/{organization.pk}/verify/", follow=True)
    assert "Нельзя перейти из состояния «проверена» в «проверена»." in again.content.decode()


def test_an_owner_fixes_a_returned_organisation_and_it_goes_back_to_the_queue(
    login_as, resident, coordinator
):
    organization = OrganizationFactory(status=S.RETURNED, review_note="Нет адреса")
    MembershipFactory(organization=organization, user=resident, role=R.OWNER)
    login_as(resident).post(
        f"/organizations/{organization.pk}/edit/",
        {
            "kind": organization.kind,
            "name": organization.name,
            "short_name": organization.short_name,
            "inn": organization.inn,
            "ogrn": organization.ogrn,
            "address": "ул. Ленина, 1",
        },
    )
    assert status_of(organization) == S.PENDING
    assert (
        organization.short_name
        in login_as(coordinator).get("/organizations/review/").content.decode()
    )


# --- API ------------------------------------------------------------------------------------


def test_the_api_refuses_verifying_a_returned_organisation_with_409(coordinator):
    organization = OrganizationFactory(status=S.RETURNED)
    response = bearer(coordinator).post(f"/api/v1/organizations/{organization.pk}/verify")
    assert response.status_code == 409
    assert status_of(organization) == S.RETURNED


def test_the_api_refuses_a_return_without_a_reason(coordinator):
    organization = OrganizationFactory(status=S.PENDING)
    response = bearer(coordinator).post(
        f"/api/v1/organizations/{organization.pk}/return",
        {"reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert status_of(organization) == S.PENDING


def test_review_through_the_api_needs_credentials(db):
    organization = OrganizationFactory(status=S.PENDING)
    assert Client().post(f"/api/v1/organizations/{organization.pk}/verify").status_code == 401
    assert status_of(organization) == S.PENDING


@pytest.mark.parametrize(("role", "status"), [(R.MEMBER, 403), (R.EDITOR, 200), (R.OWNER, 200)])
def test_the_api_lets_owners_and_editors_edit(role, status):
    organization = OrganizationFactory(description="Было")
    user = MembershipFactory(organization=organization, role=role).user
    response = bearer(user).patch(
        f"/api/v1/organizations/{organization.pk}",
        {"description": "Стало"},
        content_type="application/json",
    )
    assert response.status_code == status
    organization.refresh_from_db()
    assert organization.description == ("Стало" if status == 200 else "Было")


def test_the_api_edit_sets_district_and_areas_and_refuses_unknown_ones(resident):
    District.objects.create(name="Первомайский", slug="pervomaisky")
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=R.OWNER)
    url = f"/api/v1/organizations/{organization.pk}"
    done = bearer(resident).patch(
        url, {"district": "pervomaisky", "areas": ["sport"]}, content_type="application/json"
    )
    assert (done.json()["district"], done.json()["areas"]) == ("pervomaisky", ["sport"])
    for body in ({"district": "atlantis"}, {"areas": ["astrology"]}):
        refused = bearer(resident).patch(url, body, content_type="application/json")
        assert refused.status_code == 422, body
    organization.refresh_from_db()
    assert (organization.district.slug, organization.areas) == ("pervomaisky", ["sport"])


def test_the_api_shows_a_returned_organisation_to_its_member(resident):
    organization = OrganizationFactory(status=S.RETURNED, review_note="Нет ИНН")
    MembershipFactory(organization=organization, user=resident)
    data = bearer(resident).get(f"/api/v1/organizations/{organization.pk}").json()
    assert data["status"] == "returned"
    assert data["verified"] is False
