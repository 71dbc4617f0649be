"""The applicant's cabinet: applications, agreements with the next payment, report
deadlines and followed calls, each with what to do next; only the person's own."""

import pytest
from django.urls import reverse

from conftest import login
from dobry.core.clock import local_today
from dobry.grants.tests.agreements import draft_agreement, grantee_of, signed_agreement
from dobry.opportunities.cabinet import cabinet_of
from dobry.opportunities.models import Follow
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:cabinet")


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_an_outsider_sees_an_empty_cabinet(outsider, official):
    signed_agreement(official)
    page = login(outsider).get(URL)
    assert page.status_code == 200
    assert page.context["cabinet"].empty


def test_a_grantee_sees_the_agreement_next_tranche_and_report_deadline(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    cabinet = cabinet_of(grantee, today=local_today())
    assert [item.obj for item in cabinet.agreements] == [agreement]
    assert [item.obj for item in cabinet.applications] == [agreement.application]
    assert [item.obj for item in cabinet.reports] == list(agreement.reports_due.all())
    assert cabinet.reports[0].next_step.startswith("Сдайте")
    assert "транш" in cabinet.agreements[0].next_step.lower()
    page = login(grantee).get(URL).content.decode()
    assert agreement.number in page
    assert "Что дальше" in page


def test_a_draft_agreement_asks_to_be_signed(official):
    agreement = draft_agreement(official)
    cabinet = cabinet_of(grantee_of(agreement.application), today=local_today())
    assert cabinet.agreements[0].next_step == "Подпишите соглашение."
    assert cabinet.agreements[0].urgent
    assert cabinet.reports == []  # only a signed agreement's reports are due


def test_a_member_sees_the_calls_the_organisation_follows():
    membership = MembershipFactory(role="member")
    call = OpportunityFactory()
    Follow.objects.create(opportunity=call, organization=membership.organization)
    OpportunityFactory(title="Чужой")
    cabinet = cabinet_of(membership.user, today=local_today())
    assert [item.obj.opportunity for item in cabinet.calls] == [call]
    assert "до" in cabinet.calls[0].next_step


def test_the_cabinet_has_a_fixed_query_count(official, django_assert_max_num_queries):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    membership = MembershipFactory(user=grantee)
    Follow.objects.create(opportunity=OpportunityFactory(), organization=membership.organization)
    client = login(grantee)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for call in OpportunityFactory.create_batch(5):
        Follow.objects.create(opportunity=call, organization=membership.organization)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
