"""Confirming residents to vote: by a coordinator, or by a code from an SMS sent through the
provider adapter (a fake provider here); without a provider, coordinators only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import PhoneCode, ResidentVerification
from dobry.civic.permissions import is_verified_resident
from dobry.civic.services import verification
from dobry.civic.sms import FakeSmsProvider, SmsFailed, sms_provider
from dobry.civic.tests.factories import coordinator
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied

pytestmark = pytest.mark.django_db
FAKE = "dobry.civic.sms.FakeSmsProvider"


@pytest.fixture
def sms(settings):
    settings.DOBRY_SMS_PROVIDER = FAKE
    FakeSmsProvider.sent.clear()
    yield FakeSmsProvider.sent
    FakeSmsProvider.sent.clear()


def _code(sent) -> str:
    return sent[-1][1].rsplit(" ", 1)[-1]


def test_a_coordinator_confirms_a_resident_once():
    resident, staff = UserFactory(), coordinator()
    made = verification.resident_verify(actor=staff, user=resident)
    assert (made.method, made.verified_by) == ("coordinator", staff)
    assert is_verified_resident(resident)
    with pytest.raises(InvalidTransition, match="уже подтверждён"):
        verification.resident_verify(actor=staff, user=resident)
    verification.resident_unverify(actor=staff, user=resident)
    assert not is_verified_resident(resident)
    with pytest.raises(InvalidTransition, match="не подтверждён"):
        verification.resident_unverify(actor=staff, user=resident)


@pytest.mark.parametrize("role", [{}, {"is_expert": True}, {"is_official": True}])
def test_only_coordinators_confirm_residents(role):
    with pytest.raises(PermissionDenied):
        verification.resident_verify(actor=UserFactory(**role), user=UserFactory())
    with pytest.raises(PermissionDenied):
        verification.resident_unverify(actor=UserFactory(**role), user=UserFactory())
    assert not ResidentVerification.objects.exists()


def test_an_inactive_account_is_not_confirmed():
    with pytest.raises(DomainError, match="отключена"):
        verification.resident_verify(actor=coordinator(), user=UserFactory(is_active=False))


def test_without_a_provider_there_is_no_sms_confirmation(settings):
    settings.DOBRY_SMS_PROVIDER = ""
    assert sms_provider() is None
    assert not verification.sms_available()
    with pytest.raises(DomainError, match="Попросите координатора"):
        verification.phone_code_send(user=UserFactory(), phone="+7 391 975-00-00")
    assert not PhoneCode.objects.exists()


def test_a_code_from_the_sms_confirms_the_resident(sms):
    resident = UserFactory()
    verification.phone_code_send(user=resident, phone="8 (391) 975-00-01")
    assert sms[-1][0] == "+73919750001"
    code = _code(sms)
    stored = PhoneCode.objects.get(user=resident)
    assert code not in stored.code_hash
    assert len(stored.code_hash) == 64
    made = verification.phone_code_confirm(user=resident, code=f" {code[:3]} {code[3:]} ")
    assert (made.method, made.phone) == ("sms", "+73919750001")
    assert is_verified_resident(resident)
    with pytest.raises(DomainError, match="устарел или уже использован"):
        verification.phone_code_confirm(user=resident, code=code)


def test_a_wrong_code_counts_and_the_attempts_run_out(sms, settings):
    settings.DOBRY_SMS_CODE_ATTEMPTS = 2
    resident = UserFactory()
    verification.phone_code_send(user=resident, phone="+73919750002")
    code = _code(sms)
    wrong = "000000" if code != "000000" else "111111"
    for _n in range(2):
        with pytest.raises(DomainError, match="Неверный код") as caught:
            verification.phone_code_confirm(user=resident, code=wrong)
        assert "code" in caught.value.field_errors
    with pytest.raises(DomainError, match="Слишком много неверных попыток"):
        verification.phone_code_confirm(user=resident, code=code)
    assert not is_verified_resident(resident)


@pytest.mark.parametrize("code", ["", "abcdef", "12345", "1234567", "١٢٣٤٥٦", "\x00" * 6])
def test_a_malformed_code_is_a_wrong_attempt(sms, code):
    resident = UserFactory()
    verification.phone_code_send(user=resident, phone="+73919750003")
    with pytest.raises(DomainError, match="Неверный код"):
        verification.phone_code_confirm(user=resident, code=code)
    assert PhoneCode.objects.get(user=resident).attempts == 1


def test_an_expired_code_is_refused(sms):
    resident = UserFactory()
    verification.phone_code_send(user=resident, phone="+73919750004")
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError, match="устарел"):
        verification.phone_code_confirm(user=resident, code=_code(sms))


def test_a_new_code_ends_the_old_one(sms):
    resident = UserFactory()
    verification.phone_code_send(user=resident, phone="+73919750005")
    old = _code(sms)
    verification.phone_code_send(user=resident, phone="+73919750005")
    new = _code(sms)
    if old != new:
        with pytest.raises(DomainError):
            verification.phone_code_confirm(user=resident, code=old)
    assert verification.phone_code_confirm(user=resident, code=new).method == "sms"


def test_codes_are_limited_per_hour_for_an_account_and_for_a_phone(sms, settings):
    settings.DOBRY_SMS_CODES_PER_HOUR = 2
    resident = UserFactory()
    for _n in range(2):
        verification.phone_code_send(user=resident, phone="+73919750006")
    with pytest.raises(verification.TooManyCodes) as caught:
        verification.phone_code_send(user=resident, phone="+73919750007")
    assert caught.value.status == 429
    with pytest.raises(verification.TooManyCodes):
        verification.phone_code_send(user=UserFactory(), phone="+73919750006")
    assert len(sms) == 2


def test_one_phone_confirms_one_account(sms):
    first, second = UserFactory(), UserFactory()
    verification.phone_code_send(user=first, phone="+73919750008")
    verification.phone_code_confirm(user=first, code=_code(sms))
    with pytest.raises(DomainError, match="другую учётную запись") as caught:
        verification.phone_code_send(user=second, phone="8 391 975 00 08")
    assert "phone" in caught.value.field_errors


def test_two_accounts_racing_for_one_phone_confirm_one(sms):
    first, second = UserFactory(), UserFactory()
    verification.phone_code_send(user=first, phone="+73919750009")
    first_code = _code(sms)
    verification.phone_code_send(user=second, phone="+73919750009")
    second_code = _code(sms)
    verification.phone_code_confirm(user=first, code=first_code)
    with pytest.raises(DomainError, match="другую учётную запись"):
        verification.phone_code_confirm(user=second, code=second_code)
    assert ResidentVerification.objects.filter(phone="+73919750009").count() == 1


@pytest.mark.parametrize("phone", ["", "12", "+1 555 0100", "٣٩١٩٧٥٠٠٠٠", "x" * 300])
def test_a_wrong_phone_is_refused_on_its_field(sms, phone):
    with pytest.raises(DomainError) as caught:
        verification.phone_code_send(user=UserFactory(), phone=phone)
    assert "phone" in caught.value.field_errors
    assert not sms


def test_a_confirmed_resident_is_not_sent_codes(sms):
    resident = UserFactory()
    verification.resident_verify(actor=coordinator(), user=resident)
    with pytest.raises(InvalidTransition, match="уже подтверждены"):
        verification.phone_code_send(user=resident, phone="+73919750010")


def test_a_provider_failure_keeps_no_code(settings):
    settings.DOBRY_SMS_PROVIDER = "dobry.civic.tests.test_vote_verification.FailingProvider"
    with pytest.raises(DomainError, match="СМС не отправлено"):
        verification.phone_code_send(user=UserFactory(), phone="+73919750011")
    assert not PhoneCode.objects.exists()


class FailingProvider:
    def send(self, phone: str, text: str) -> None:
        raise SmsFailed(phone)


def _sms_confirmed(sms, phone: str):
    user = UserFactory()
    verification.phone_code_send(user=user, phone=phone)
    verification.phone_code_confirm(user=user, code=_code(sms))
    return user


def test_an_erased_voter_who_comes_back_with_the_same_phone_does_not_vote_twice(sms):
    """Erasure frees the phone (the verification goes with the person) while the mark
    stays without them: a new account confirmed by the same phone used to cast a second
    ballot in the same vote. The mark keeps a keyed hash of the phone while the vote runs."""
    from dobry.accounts.services import user_erase
    from dobry.civic.models import Ballot, VoterMark
    from dobry.civic.services import votes
    from dobry.civic.tests.factories import close_now, running_vote

    vote = running_vote()
    option = vote.options.first()
    first = _sms_confirmed(sms, "+79131234567")
    votes.ballot_cast(actor=first, vote=vote, option_ids=[option.pk])
    user_erase(user=first, actor=None)
    again = _sms_confirmed(sms, "8 913 123-45-67")  # the same phone, written otherwise
    with pytest.raises(InvalidTransition, match="уже проголосовали"):
        votes.ballot_cast(actor=again, vote=vote, option_ids=[option.pk])
    # nor on paper at a polling point
    with pytest.raises(InvalidTransition, match="уже проголосовали"):
        votes.paper_ballot_enter(
            actor=coordinator(),
            vote=vote,
            voter=again,
            option_ids=[option.pk],
            polling_point="Библиотека",
        )
    assert Ballot.objects.filter(vote=vote).count() == 1
    # negative control: another phone votes
    votes.ballot_cast(actor=_sms_confirmed(sms, "+79137654321"), vote=vote, option_ids=[option.pk])
    assert Ballot.objects.filter(vote=vote).count() == 2
    # the hash is kept only while the vote runs: closing it forgets the phones
    close_now(vote)
    votes.vote_move(actor=coordinator(), vote=vote, name="close")
    assert set(VoterMark.objects.filter(vote=vote).values_list("phone_hash", flat=True)) == {""}
