"""The rules of the city-wide suppression list behind every sender: which reason an address
keeps when it is listed again, what is audited, what a token may say, what withdrawing
a consent does, and the kinds a person may keep."""

import pytest
from django.core import signing
from django.utils import translation

from dobry.communications.models import Suppression, Unsubscription
from dobry.communications.suppression_views import kind_choices
from dobry.communications.unsubscribe import (
    MAILING_KIND,
    TOKEN_SALT,
    may_mail,
    read_token,
    subscriptions_set,
    suppression_add,
    suppression_for_withdrawn_consent,
    unsubscribe_token,
)
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
R = Suppression.Reason


def test_an_address_is_listed_once_in_its_normal_form_and_audited_once():
    first = suppression_add(address=" Anna@Example.ORG ", reason=R.UNSUBSCRIBED, source="x")
    again = suppression_add(address="anna@example.org", reason=R.STAFF, source="y")
    assert first.pk == again.pk
    assert (again.email, again.reason, again.source) == ("anna@example.org", R.UNSUBSCRIBED, "x")
    assert AuditEntry.objects.filter(action="suppression.add").count() == 1


@pytest.mark.parametrize("stronger", [R.COMPLAINT, R.HARD_BOUNCE])
def test_a_complaint_or_a_hard_bounce_replaces_a_softer_reason(stronger):
    suppression_add(address="a@example.org", reason=R.UNSUBSCRIBED, source="one-click:mailing")
    listed = suppression_add(address="a@example.org", reason=stronger, source="webhook")
    listed.refresh_from_db()
    assert (listed.reason, listed.source) == (stronger, "webhook")
    assert AuditEntry.objects.filter(action="suppression.add").count() == 2


def test_the_same_strong_reason_again_changes_nothing():
    suppression_add(address="a@example.org", reason=R.COMPLAINT, source="first")
    listed = suppression_add(address="a@example.org", reason=R.COMPLAINT, source="second")
    assert listed.source == "first"
    assert AuditEntry.objects.filter(action="suppression.add").count() == 1


def test_an_unknown_reason_is_refused_naming_it():
    with pytest.raises(DomainError) as refused:
        suppression_add(address="a@example.org", reason="bored")
    assert list(refused.value.field_errors) == ["reason"]
    assert not Suppression.objects.exists()


def test_a_long_source_is_kept_to_its_column():
    listed = suppression_add(address="a@example.org", reason=R.STAFF, source="s" * 500)
    assert len(listed.source) == 200


def test_a_token_names_its_address_and_kind_and_nothing_else_reads_as_one():
    token = unsubscribe_token("Anna@Example.org", kind=MAILING_KIND)
    read = read_token(token)
    assert (read.email, read.kind) == ("anna@example.org", MAILING_KIND)
    for payload in (["anna@example.org"], {"k": MAILING_KIND}, {"e": 5}):
        forged = signing.dumps(payload, salt=TOKEN_SALT)
        with pytest.raises(DomainError):
            read_token(forged)
    other_salt = signing.dumps({"e": "anna@example.org"}, salt="another use")
    with pytest.raises(DomainError):
        read_token(other_salt)


def test_a_token_without_a_kind_reads_as_none():
    token = signing.dumps({"e": "anna@example.org"}, salt=TOKEN_SALT)
    assert read_token(token).kind == ""


def test_withdrawing_another_consent_lists_nobody(resident):
    suppression_for_withdrawn_consent(user=resident, kind="personal_data")
    assert not Suppression.objects.exists()
    suppression_for_withdrawn_consent(user=resident, kind="newsletter")
    listed = Suppression.objects.get()
    assert (listed.reason, listed.source) == (R.CONSENT_WITHDRAWN, "consent")
    entry = AuditEntry.objects.get(action="suppression.add")
    assert entry.actor == resident


def test_keeping_everything_lifts_the_kinds_dropped_before():
    subscriptions_set(address="a@example.org", keep={MAILING_KIND: False, "weekly_digest": False})
    assert not may_mail("a@example.org", kind=MAILING_KIND)
    subscriptions_set(address="A@example.org", keep={MAILING_KIND: True})
    assert may_mail("a@example.org", kind=MAILING_KIND)
    assert list(Unsubscription.objects.values_list("kind", flat=True)) == ["weekly_digest"]
    subscriptions_set(address="a@example.org", keep={"weekly_digest": False})
    assert Unsubscription.objects.count() == 1  # dropping twice keeps one row


def test_the_kinds_to_keep_are_the_non_transactional_ones_sorted_with_mailings():
    keys = [key for key, _label in kind_choices("")]
    assert MAILING_KIND in keys
    assert "account" not in keys
    labels = [label for _key, label in kind_choices("")]
    assert labels == sorted(labels)


def test_an_unknown_kind_a_person_came_from_is_offered_too_but_never_a_transactional_one():
    assert ("organizers_list", "organizers_list") in kind_choices("", "organizers_list")
    assert "account" not in [key for key, _label in kind_choices("", "account")]


def test_the_kinds_are_named_in_the_language_of_the_request():
    with translation.override("en"):
        labels = dict(kind_choices(""))
    assert labels[MAILING_KIND] != "Рассылки города: новости и анонсы"
