"""A campaign may add money to a grant project (issue 14: «campaigns can be linked to a
programme, an event, a grant project…»): the project is one of the organisation's own signed
agreements — never another organisation's, a draft or a terminated one — in the form, the
service and the API alike; the public page names it and links the competition's results."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from dobry.charity.models import Campaign
from dobry.charity.selectors import linkable_agreements
from dobry.charity.services import campaigns
from dobry.charity.tests.factories import BankDetailsFactory, editor_of
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.grants.models import Agreement, Competition
from dobry.grants.tests.agreements import draft_agreement, signed_agreement
from dobry.organizations.models import Organization

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"
VALUES = {
    "title": "Краски для мастерской",
    "purpose": "Докупить краски к гранту",
    "story": "",
    "goal": Decimal("20000"),
}


def _verified(agreement: Agreement) -> Organization:
    organization = agreement.application.organization
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.VERIFIED)
    organization.refresh_from_db()
    BankDetailsFactory(organization=organization)
    return organization


def _deadline():
    return local_today() + timedelta(days=30)


def test_only_the_organisations_signed_agreements_can_be_linked(official):
    agreement = signed_agreement(official)
    organization = _verified(agreement)
    editor = editor_of(organization)
    draft = draft_agreement(official)
    foreign = signed_agreement(official)
    assert list(linkable_agreements(organization)) == [agreement]
    for wrong in (draft, foreign):
        with pytest.raises(DomainError) as refused:
            campaigns.campaign_create(
                actor=editor,
                organization=organization,
                deadline=_deadline(),
                agreement=wrong,
                **VALUES,
            )
        assert list(refused.value.field_errors) == ["agreement"]
    made = campaigns.campaign_create(
        actor=editor, organization=organization, deadline=_deadline(), agreement=agreement, **VALUES
    )
    assert made.agreement == agreement
    # A terminated agreement is no longer offered.
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.TERMINATED)
    assert not linkable_agreements(organization).exists()


def test_the_form_offers_the_project_and_the_public_page_names_it(official, client):
    agreement = signed_agreement(official)
    organization = _verified(agreement)
    editor = login(editor_of(organization))
    url = reverse("charity:campaign_create", args=[organization.pk])
    form = editor.get(url).content.decode()
    assert f"№ {agreement.number} — {agreement.application.title}" in form
    response = editor.post(
        url,
        {
            "title": "Краски",
            "purpose": "К гранту",
            "goal": "20000",
            "deadline": _deadline().isoformat(),
            "agreement": agreement.pk,
        },
    )
    campaign = Campaign.objects.get()
    assert response.url == campaign.get_absolute_url()
    assert campaign.agreement == agreement
    editor.post(reverse("charity:campaign_move", args=[campaign.pk]), {"move": "publish"})
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f"грантовый проект «{agreement.application.title}»" in page
    results = reverse("grants:results", args=[agreement.application.competition_id])
    assert results not in page  # the results are not out: nothing to link
    Competition.objects.filter(pk=agreement.application.competition_id).update(
        results_published_at=timezone.now()
    )
    assert results in client.get(campaign.get_absolute_url()).content.decode()


def test_the_api_takes_the_project_by_id_and_refuses_another(official):
    agreement = signed_agreement(official)
    organization = _verified(agreement)
    editor = login(editor_of(organization))
    foreign = signed_agreement(official)
    body = {
        "title": "Краски",
        "purpose": "К гранту",
        "goal": "20000",
        "deadline": _deadline().isoformat(),
    }
    url = f"{API}/organizations/{organization.pk}/campaigns"
    refused = editor.post(url, {**body, "agreement": foreign.pk}, content_type=JSON)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["agreement"]
    assert not Campaign.objects.exists()
    made = editor.post(url, {**body, "agreement": agreement.pk}, content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["agreement_id"] == agreement.pk
    pk = made.json()["id"]
    cleared = editor.patch(f"{API}/campaigns/{pk}", {"agreement": None}, content_type=JSON)
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["agreement_id"] is None


def test_a_project_title_in_quotes_is_not_quoted_twice(official, client):
    """Issue 11, typography: a title already in «…» keeps one pair of guillemets, with
    „…“ inside («за участие в ««…»»» was the fault)."""
    agreement = signed_agreement(official)
    organization = _verified(agreement)
    application = agreement.application
    application.title = "Проект «Тёплый дом»"
    application.save(update_fields=["title"])
    Competition.objects.filter(pk=application.competition_id).update(
        title="Конкурс «Добрый город»", results_published_at=timezone.now()
    )
    campaign = campaigns.campaign_create(
        actor=editor_of(organization),
        organization=organization,
        deadline=_deadline(),
        agreement=agreement,
        **VALUES,
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "грантовый проект «Проект „Тёплый дом“»" in page
    assert "итоги конкурса «Конкурс „Добрый город“»" in page
    assert "««" not in page
    assert "»»" not in page


def test_an_agreement_terminated_since_does_not_block_editing_the_campaign(official):
    """The project is checked when it changes: a campaign linked to an agreement that was
    terminated later is still edited (its title, its goal) without unlinking it."""
    agreement = signed_agreement(official)
    organization = _verified(agreement)
    person = editor_of(organization)
    editor = login(person)
    campaign = campaigns.campaign_create(
        actor=person,
        organization=organization,
        deadline=_deadline(),
        agreement=agreement,
        **VALUES,
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.TERMINATED)
    edited = editor.patch(f"{API}/campaigns/{campaign.pk}", {"goal": "25000"}, content_type=JSON)
    assert edited.status_code == 200, edited.content
    assert edited.json()["agreement_id"] == agreement.pk
    foreign = signed_agreement(official)
    refused = editor.patch(
        f"{API}/campaigns/{campaign.pk}", {"agreement": foreign.pk}, content_type=JSON
    )
    assert refused.status_code == 422
