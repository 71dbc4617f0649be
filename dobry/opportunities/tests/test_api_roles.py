"""`/api/v1/grant-opportunities` by every role and in the project's order of refusals
(docs/development.md): 401 without a session, 422 for a shape, 404 for what the caller may
not see, 403 for what they see but may not change, 409 for a state; the page agrees."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import login
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry
from dobry.opportunities.models import Follow, Opportunity
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/grant-opportunities"
JSON = "application/json"


def _client(who, client, outsider, coordinator, organization):
    if who == "anonymous":
        return client
    if who == "outsider":
        return login(outsider)
    if who == "coordinator":
        return login(coordinator)
    return login(MembershipFactory(organization=organization, role=who).user)


ROLES = ["anonymous", "outsider", "member", "editor", "owner", "coordinator"]


@pytest.mark.parametrize("who", ROLES)
def test_suits_answers_each_role_in_the_order_of_refusals(client, outsider, coordinator, who):
    organization = OrganizationFactory()
    OpportunityFactory()
    caller = _client(who, client, outsider, coordinator, organization)
    response = caller.get(URL, {"suits": organization.pk})
    if who in ("member", "editor", "owner"):
        assert response.status_code == 200
        assert response.json()["items"][0]["fit"]["organization"] == organization.pk
    else:  # a coordinator keeps the catalogue but is no member of the organisation
        assert response.status_code == 403, response.json()
        assert response.json()["message"] == "Подбор конкурсов доступен участникам организации."


def test_suits_for_a_missing_or_hidden_organisation_is_a_422_naming_the_filter(outsider):
    hidden = OrganizationFactory(status=Organization.Status.RETURNED)
    caller = login(outsider)
    for pk in (999_999, hidden.pk):  # the same answer: a hidden one is not told apart
        response = caller.get(URL, {"suits": pk})
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["suits"]
    # its own member still sees a returned organisation and its ranking
    member = MembershipFactory(organization=hidden, role="member").user
    assert login(member).get(URL, {"suits": hidden.pk}).status_code == 200


def test_suits_of_a_bad_shape_is_422_before_anything(client):
    for value in ("x", "0", "-1", "1.5", "\x00"):
        response = client.get(URL, {"suits": value})
        assert response.status_code == 422, value
        assert any("suits" in name for name in response.json()["errors"]), value


@pytest.mark.parametrize("who", ROLES)
def test_follow_answers_each_role_in_the_order_of_refusals(client, outsider, coordinator, who):
    organization = OrganizationFactory()
    opportunity = OpportunityFactory()
    caller = _client(who, client, outsider, coordinator, organization)
    body = {"organization": organization.pk}
    response = caller.post(f"{URL}/{opportunity.pk}/follow", body, content_type=JSON)
    expected = {"anonymous": 401, "editor": 200, "owner": 200}.get(who, 403)
    assert response.status_code == expected, response.json()
    assert Follow.objects.filter(organization=organization).exists() == (expected == 200)
    # the page agrees: a follow only for an owner or editor
    if who != "anonymous":
        Follow.objects.all().delete()
        caller.post(reverse("opportunities:follow", args=[opportunity.pk]), body)
        assert Follow.objects.filter(organization=organization).exists() == (expected == 200)


def test_follow_for_a_missing_or_hidden_organisation_is_404(outsider):
    opportunity = OpportunityFactory()
    hidden = OrganizationFactory(status=Organization.Status.RETURNED)
    caller = login(outsider)
    for pk in (hidden.pk, 999_999):
        for move in ("follow", "unfollow"):
            response = caller.post(
                f"{URL}/{opportunity.pk}/{move}", {"organization": pk}, content_type=JSON
            )
            assert response.status_code == 404, (pk, move)


def test_unfollow_by_a_plain_member_is_403_and_keeps_the_follow():
    owner = MembershipFactory(role="owner")
    opportunity = OpportunityFactory()
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    member = MembershipFactory(organization=owner.organization, role="member").user
    response = login(member).post(
        f"{URL}/{opportunity.pk}/unfollow",
        {"organization": owner.organization_id},
        content_type=JSON,
    )
    assert response.status_code == 403
    assert Follow.objects.count() == 1


def test_a_stranger_to_a_past_call_gets_403_not_409(outsider):
    """Access is refused before the state: a closed call tells an outsider nothing new."""
    organization = OrganizationFactory()
    past = OpportunityFactory(
        opens_on=local_today() - timedelta(days=40), closes_on=local_today() - timedelta(days=1)
    )
    response = login(outsider).post(
        f"{URL}/{past.pk}/follow", {"organization": organization.pk}, content_type=JSON
    )
    assert response.status_code == 403


def test_follow_of_a_missing_call_is_404_and_bad_bodies_are_422():
    owner = MembershipFactory(role="owner")
    client = login(owner.user)
    body = {"organization": owner.organization_id}
    assert client.post(f"{URL}/999999/follow", body, content_type=JSON).status_code == 404
    opportunity = OpportunityFactory()
    for bad in ({}, {"organization": "x"}, {"organization": 0}, {"organization": 10**30}):
        response = client.post(f"{URL}/{opportunity.pk}/follow", bad, content_type=JSON)
        assert response.status_code == 422, bad
    assert not Follow.objects.exists()


def test_unfollowing_what_was_not_followed_answers_false_and_writes_no_audit():
    owner = MembershipFactory(role="editor")
    opportunity = OpportunityFactory()
    response = login(owner.user).post(
        f"{URL}/{opportunity.pk}/unfollow",
        {"organization": owner.organization_id},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json() == {
        "opportunity": opportunity.pk,
        "organization": owner.organization_id,
        "following": False,
    }
    assert not AuditEntry.objects.filter(action="opportunity.unfollow").exists()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "owner"])
def test_detail_is_public_the_archive_too(client, outsider, coordinator, who):
    organization = OrganizationFactory()
    withdrawn = OpportunityFactory(withdrawn=True, tips="Начните с бюджета.")
    caller = _client(who, client, outsider, coordinator, organization)
    body = caller.get(f"{URL}/{withdrawn.pk}").json()
    assert body["archived"] is True
    assert body["tips"] == "Начните с бюджета."
    assert body["fit"] is None
    assert caller.get(f"{URL}/999999").status_code == 404


def test_writes_on_a_missing_call_are_404_for_a_coordinator(coordinator):
    client = login(coordinator)
    assert client.patch(f"{URL}/999999", {"title": "x"}, content_type=JSON).status_code == 404
    assert client.post(f"{URL}/999999/archive").status_code == 404
    assert client.post(f"{URL}/999999/restore").status_code == 404


def test_restore_by_a_non_coordinator_is_refused(client, outsider):
    opportunity = OpportunityFactory(withdrawn=True)
    assert client.post(f"{URL}/{opportunity.pk}/restore").status_code == 401
    assert login(outsider).post(f"{URL}/{opportunity.pk}/restore").status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.withdrawn is True


def test_archiving_twice_changes_and_audits_once(coordinator):
    opportunity = OpportunityFactory()
    client = login(coordinator)
    assert client.post(f"{URL}/{opportunity.pk}/archive").json()["archived"] is True
    assert client.post(f"{URL}/{opportunity.pk}/archive").json()["archived"] is True
    assert AuditEntry.objects.filter(action="opportunity.archive").count() == 1
    client.post(f"{URL}/{opportunity.pk}/restore")
    assert AuditEntry.objects.filter(action="opportunity.restore").count() == 1


def test_a_patch_changes_only_the_fields_sent_and_nulls_clear(coordinator):
    opportunity = OpportunityFactory(region="Красноярский край", tips="Совет")
    client = login(coordinator)
    response = client.patch(
        f"{URL}/{opportunity.pk}",
        {"opens_on": None, "min_amount": None, "areas": ["ecology", "ecology"]},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["opens_on"] is None
    assert body["min_amount"] is None
    assert body["max_amount"] == "3000000.00"
    assert body["areas"] == ["ecology"]  # a repeated area is kept once
    assert body["region"] == "Красноярский край"
    assert body["tips"] == "Совет"
    entry = AuditEntry.objects.get(action="opportunity.update")
    assert entry.data == {"fields": ["areas", "min_amount", "opens_on"]}


def test_a_patch_cannot_null_a_required_field(coordinator):
    opportunity = OpportunityFactory()
    client = login(coordinator)
    for name in ("title", "closes_on", "programme"):
        response = client.patch(f"{URL}/{opportunity.pk}", {name: None}, content_type=JSON)
        # null for a required field is not sent to the service: nothing changes
        assert response.status_code == 200, name
    opportunity.refresh_from_db()
    assert opportunity.title.startswith("Конкурс проектов")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_amount": "-1"}, "min_amount"),
        ({"max_amount": "1e20"}, "max_amount"),
        ({"max_amount": "1000000000000"}, "max_amount"),
        ({"min_registered_months": 601}, "min_registered_months"),
        ({"min_registered_months": "много"}, "min_registered_months"),
        ({"areas": ["space"]}, "areas"),
        ({"areas": "social"}, "areas"),
        ({"eligible_kinds": ["person"]}, "eligible_kinds"),
        ({"programme": "lottery"}, "programme"),
        ({"closes_on": "31.12.2026"}, "closes_on"),
        ({"closes_on": "9999-12-31"}, "closes_on"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"url": "u" * 501}, "url"),
        ({"tips": 5}, "tips"),
        ({"summary": "a\x00b"}, "summary"),
        ({"min_amount": "2000000", "max_amount": "1000000"}, "max_amount"),
        ({"opens_on": "2026-12-31", "closes_on": "2026-12-01"}, "closes_on"),
    ],
)
def test_hostile_patches_are_422_at_their_field(coordinator, change, field):
    opportunity = OpportunityFactory()
    before = Opportunity.objects.filter(pk=opportunity.pk).values().get()
    response = login(coordinator).patch(f"{URL}/{opportunity.pk}", change, content_type=JSON)
    assert response.status_code == 422, response.json()
    assert any(field in name for name in response.json()["errors"]), response.json()
    assert Opportunity.objects.filter(pk=opportunity.pk).values().get() == before


def test_an_unknown_field_in_a_body_is_422(coordinator):
    opportunity = OpportunityFactory()
    response = login(coordinator).patch(
        f"{URL}/{opportunity.pk}", {"withdrawn": True}, content_type=JSON
    )
    assert response.status_code == 422
    opportunity.refresh_from_db()
    assert opportunity.withdrawn is False


def test_a_form_body_is_415_not_500(coordinator):
    response = login(coordinator).post(URL, {"title": "x"})
    assert response.status_code in (415, 422)


def test_the_ranking_keeps_the_amount_filter_and_reasons(client):
    membership = MembershipFactory(role="member")
    inside = OpportunityFactory(min_amount=100, max_amount=1000)
    OpportunityFactory(min_amount=5000, max_amount=9000)
    response = login(membership.user).get(
        URL, {"suits": membership.organization_id, "amount": 1000}
    )
    items = response.json()["items"]
    assert [item["id"] for item in items] == [inside.pk]
    reasons = {r["criterion"]: r for r in items[0]["fit"]["reasons"]}
    assert reasons["amount"] == {
        "criterion": "amount",
        "met": True,
        "text": "Нужная сумма в пределах гранта.",
    }
