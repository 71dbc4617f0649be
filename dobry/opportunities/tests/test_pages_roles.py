"""The catalogue's pages by role: editing and archiving a call (the coordinators'), the
detail's fit for a member, and refusals that come back as messages, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from conftest import login
from dobry.opportunities.models import Follow, Opportunity
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "outsider", "owner", "coordinator"])
def test_the_edit_and_archive_pages_are_the_coordinators(client, outsider, coordinator, who):
    opportunity = OpportunityFactory(title="Было")
    caller = {
        "anonymous": client,
        "outsider": login(outsider),
        "owner": login(MembershipFactory(role="owner").user),
        "coordinator": login(coordinator),
    }[who]
    edit = caller.get(reverse("opportunities:edit", args=[opportunity.pk]))
    toggle = caller.post(reverse("opportunities:archive_toggle", args=[opportunity.pk]))
    opportunity.refresh_from_db()
    if who == "anonymous":
        assert edit.status_code == toggle.status_code == 302
        assert "/login" in edit["Location"] or "accounts" in edit["Location"]
    elif who == "coordinator":
        assert edit.status_code == 200
        assert toggle.status_code == 302
        assert opportunity.withdrawn is True
        caller.post(reverse("opportunities:archive_toggle", args=[opportunity.pk]))
        opportunity.refresh_from_db()
        assert opportunity.withdrawn is False
    else:
        assert edit.status_code == toggle.status_code == 403
    if who != "coordinator":
        assert opportunity.withdrawn is False


def test_the_archive_toggle_is_post_only_and_404_for_no_call(coordinator):
    client = login(coordinator)
    opportunity = OpportunityFactory()
    assert (
        client.get(reverse("opportunities:archive_toggle", args=[opportunity.pk])).status_code
        == 405
    )
    assert client.post(reverse("opportunities:archive_toggle", args=[999999])).status_code == 404
    assert client.get(reverse("opportunities:edit", args=[999999])).status_code == 404


def test_an_edit_the_rules_refuse_is_shown_at_its_field(coordinator):
    opportunity = OpportunityFactory(title="Было")
    url = reverse("opportunities:edit", args=[opportunity.pk])
    data = {
        "title": "Стало",
        "programme": "regional",
        "organiser": "Край",
        "closes_on": "01.01.1900",
    }
    response = login(coordinator).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    opportunity.refresh_from_db()
    assert opportunity.title == "Было"


def test_unfollow_without_an_organisation_is_a_message_not_a_500():
    owner = MembershipFactory(role="owner")
    opportunity = OpportunityFactory()
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    client = login(owner.user)
    for value in ("", "x", "\x00", "99999999999999999999"):
        response = client.post(
            reverse("opportunities:unfollow", args=[opportunity.pk]), {"organization": value}
        )
        assert response.status_code in (302, 400), value
    assert Follow.objects.count() == 1
    response = client.post(
        reverse("opportunities:unfollow", args=[opportunity.pk]), {"organization": ""}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)]


def test_the_detail_shows_a_members_fit_and_the_following_organisations():
    owner = MembershipFactory(role="owner")
    opportunity = OpportunityFactory(eligible_kinds=["municipal"])
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    response = login(owner.user).get(opportunity.get_absolute_url())
    assert response.status_code == 200
    [(organization, fit)] = response.context["fits"]
    assert organization == owner.organization
    assert fit.eligible is False
    assert response.context["following"] == [owner.organization]
    assert not response.context["can_keep"]
    assert Opportunity.objects.count() == 1


def test_a_reversed_amount_range_is_one_error_at_the_upper_amount(coordinator):
    data = {
        "title": "Конкурс",
        "programme": "regional",
        "organiser": "Край",
        "min_registered_months": "0",
        "min_amount": "5000000",
        "max_amount": "10",
        "closes_on": "01.12.2030",
    }
    response = login(coordinator).post(reverse("opportunities:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Нарушено ограничение" not in str(errors), errors
    assert errors == {"max_amount": ["Не меньше суммы «от»."]}, errors
    assert not Opportunity.objects.exists()
