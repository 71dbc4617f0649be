import pytest

from dobry.communications.models import Notification
from dobry.core.models import District
from dobry.organizations.demo import demo_inn, demo_ogrn
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def district(db):
    return District.objects.create(name="Центр", slug="center")


# --- catalogue -------------------------------------------------------------------------


def test_catalogue_lists_verified_organisations_by_default(client, db):
    OrganizationFactory(short_name="Проверенная")
    OrganizationFactory(short_name="Новая", status=Organization.Status.PENDING)
    OrganizationFactory(short_name="Возвращённая", status=Organization.Status.RETURNED)
    body = client.get("/organizations/").content.decode()
    assert "Проверенная" in body
    assert "Новая" not in body
    all_body = client.get("/organizations/", {"verified": "all"}).content.decode()
    assert "Новая" in all_body
    assert "ожидает проверки" in all_body
    assert "Возвращённая" not in all_body


def test_catalogue_filters_by_kind_area_district_and_search(client, district):
    target = OrganizationFactory(short_name="Тёплый дом", district=district, kind="sonko")
    target.area_links.create(area="elderly")
    OrganizationFactory(short_name="Спортклуб", kind="business")
    for params in (
        {"kind": "sonko"},
        {"area": "elderly"},
        {"district": district.pk},
        {"q": "тёплый"},
    ):
        body = client.get("/organizations/", params).content.decode()
        assert "Тёплый дом" in body, params
        assert "Спортклуб" not in body, params


def test_bad_form_values_are_named_not_dropped(client, db):
    OrganizationFactory(short_name="Живая")
    response = client.get("/organizations/", {"kind": "nonsense", "district": "abc", "page": "x"})
    assert response.status_code == 400
    assert "«kind»" in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_catalogue_keeps_a_fixed_query_count(client, db, django_assert_max_num_queries, count):
    for organization in OrganizationFactory.create_batch(count):
        organization.area_links.create(area="social")
    with django_assert_max_num_queries(5):
        assert client.get("/organizations/").status_code == 200


# --- detail ----------------------------------------------------------------------------


def test_public_page_shows_the_card_and_badge(client, db):
    organization = OrganizationFactory(short_name="Этот мир для тебя", description="Реабилитация")
    body = client.get(f"/organizations/{organization.pk}/").content.decode()
    assert "Реабилитация" in body
    assert "проверена" in body
    assert "Участники" not in body


def test_returned_organisation_is_hidden_except_from_members_and_coordinators(
    client, login_as, resident, outsider, coordinator
):
    organization = OrganizationFactory(status=Organization.Status.RETURNED, review_note="Нет ИНН")
    MembershipFactory(organization=organization, user=resident)
    url = f"/organizations/{organization.pk}/"
    assert client.get(url).status_code == 404
    assert login_as(outsider).get(url).status_code == 404
    assert "Нет ИНН" in login_as(resident).get(url).content.decode()
    assert login_as(coordinator).get(url).status_code == 200


def test_missing_organisation_is_404(client, db):
    assert client.get("/organizations/999/").status_code == 404


# --- propose and edit ------------------------------------------------------------------

FORM = {
    "kind": "sonko",
    "name": "АНО «Тёплый дом»",
    "short_name": "Тёплый дом",
    "inn": demo_inn(901),
    "ogrn": demo_ogrn(901),
    "phone": "8 (391) 975-12-34",
    "areas": ["elderly", "social"],
}


def test_anonymous_must_log_in_to_propose(client, db):
    response = client.get("/organizations/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_resident_proposes_an_organisation(login_as, resident, coordinator):
    response = login_as(resident).post("/organizations/new/", FORM)
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{organization.pk}/"
    assert organization.status == Organization.Status.PENDING
    assert sorted(organization.areas) == ["elderly", "social"]
    assert organization.memberships.get().user == resident
    assert Notification.objects.filter(user=coordinator).exists()


def test_bad_inn_is_shown_at_the_field_and_input_is_kept(login_as, resident):
    response = login_as(resident).post("/organizations/new/", {**FORM, "inn": "1234567890"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "контрольной суммой" in body
    assert 'value="АНО «Тёплый дом»"' in body
    assert not Organization.objects.exists()


def test_outsider_cannot_edit(login_as, outsider):
    organization = OrganizationFactory()
    assert login_as(outsider).get(f"/organizations/{organization.pk}/edit/").status_code == 403


def test_plain_member_cannot_edit_but_editor_can(login_as, resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=outsider, role=Membership.Role.MEMBER)
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    assert login_as(outsider).get(f"/organizations/{organization.pk}/edit/").status_code == 403
    data = {
        **FORM,
        "inn": organization.inn,
        "ogrn": organization.ogrn,
        "name": organization.name,
        "short_name": organization.short_name,
        "legal_form": organization.legal_form,
        "description": "Обновлено",
    }
    response = login_as(resident).post(f"/organizations/{organization.pk}/edit/", data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.description == "Обновлено"


# --- review ----------------------------------------------------------------------------


def test_review_queue_is_for_coordinators(client, login_as, resident, coordinator):
    OrganizationFactory(short_name="Ждёт", status=Organization.Status.PENDING)
    assert client.get("/organizations/review/").status_code == 302
    assert login_as(resident).get("/organizations/review/").status_code == 403
    assert "Ждёт" in login_as(coordinator).get("/organizations/review/").content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_review_queue_keeps_a_fixed_query_count(
    login_as, coordinator, django_assert_max_num_queries, count
):
    OrganizationFactory.create_batch(count, status=Organization.Status.PENDING)
    client = login_as(coordinator)
    with django_assert_max_num_queries(7):
        assert client.get("/organizations/review/").status_code == 200


def test_only_coordinators_verify(login_as, resident, coordinator):
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    assert login_as(resident).post(f"/organizations/{organization.pk}/verify/").status_code == 403
    login_as(coordinator).post(f"/organizations/{organization.pk}/verify/")
    organization.refresh_from_db()
    assert organization.is_verified


def test_return_needs_a_reason(login_as, coordinator):
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    login_as(coordinator).post(f"/organizations/{organization.pk}/return/", {"reason": ""})
    organization.refresh_from_db()
    assert organization.status == Organization.Status.PENDING
    login_as(coordinator).post(
        f"/organizations/{organization.pk}/return/", {"reason": "Уточните адрес"}
    )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.RETURNED


# --- members ---------------------------------------------------------------------------


def test_members_are_managed_by_owners(client, login_as, resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    MembershipFactory(organization=organization, user=outsider, role=Membership.Role.EDITOR)
    url = f"/organizations/{organization.pk}/members/"
    assert client.get(url).status_code == 302
    # an editor sees the members, read-only, and may not invite
    assert login_as(outsider).get(url).status_code == 200
    invite = {"email": "other@example.org", "role": "member"}
    assert login_as(outsider).post(url, invite).status_code == 403
    response = login_as(resident).post(url, {"email": "friend@example.org", "role": "member"})
    assert response.status_code == 302
    assert organization.invitations.get().email == "friend@example.org"


def test_invitation_with_a_bad_email_is_explained(login_as, resident):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    response = login_as(resident).post(
        f"/organizations/{organization.pk}/members/", {"email": "not-an-email", "role": "member"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_member_leaves_and_invitee_accepts(login_as, resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    member = MembershipFactory(organization=organization, user=outsider)
    response = login_as(outsider).post(
        f"/organizations/{organization.pk}/members/{member.pk}/remove/"
    )
    assert response.status_code == 302
    assert not organization.memberships.filter(user=outsider).exists()

    login_as(resident).post(
        f"/organizations/{organization.pk}/members/", {"email": outsider.email, "role": "editor"}
    )
    token = organization.invitations.get().token
    assert login_as(outsider).get(f"/organizations/invitations/{token}/").status_code == 200
    login_as(outsider).post(f"/organizations/invitations/{token}/")
    assert organization.memberships.get(user=outsider).role == Membership.Role.EDITOR


def test_outsider_cannot_remove_a_member(login_as, resident, outsider):
    organization = OrganizationFactory()
    member = MembershipFactory(organization=organization, user=resident)
    response = login_as(outsider).post(
        f"/organizations/{organization.pk}/members/{member.pk}/remove/"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 20])
def test_members_page_keeps_a_fixed_query_count(
    login_as, resident, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    MembershipFactory.create_batch(count, organization=organization)
    client = login_as(resident)
    with django_assert_max_num_queries(9):
        assert client.get(f"/organizations/{organization.pk}/members/").status_code == 200
