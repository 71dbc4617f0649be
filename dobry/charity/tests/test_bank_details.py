"""Bank details are checked when entered: БИК, КПП and the accounts' control keys
(Положение Банка России № 579-П), on real banks' details and on one changed digit."""

import pytest

from dobry.core.validators import (
    is_valid_bic,
    is_valid_correspondent_account,
    is_valid_kpp,
    is_valid_settlement_account,
)

# Real published details: ПАО Сбербанк (Москва) and its Красноярское отделение № 8646.
SBER_MOSCOW = ("044525225", "30101810400000000225")
SBER_KRASNOYARSK = ("040407627", "30101810800000000627")


@pytest.mark.parametrize(("bic", "correspondent"), [SBER_MOSCOW, SBER_KRASNOYARSK])
def test_real_correspondent_accounts_pass(bic, correspondent):
    assert is_valid_bic(bic)
    assert is_valid_correspondent_account(correspondent, bic)


@pytest.mark.parametrize("position", range(20))
def test_any_changed_digit_of_a_correspondent_account_fails(position):
    bic, account = SBER_KRASNOYARSK
    digit = str((int(account[position]) + 1) % 10)
    changed = account[:position] + digit + account[position + 1 :]
    assert not is_valid_correspondent_account(changed, bic)


def test_a_correspondent_account_of_another_bank_fails():
    assert not is_valid_correspondent_account(SBER_MOSCOW[1], SBER_KRASNOYARSK[0])


def test_settlement_account_key_is_checked_with_the_bic():
    # 40703 — a non-commercial organisation's account; its key digit (the ninth, «3»)
    # makes 627 + the account, weighted 7, 1, 3…, sum to a multiple of 10.
    assert is_valid_settlement_account("40703810331000012345", "040407627")
    assert not is_valid_settlement_account("40703810431000012345", "040407627")
    # the same account number at another bank has another key
    assert not is_valid_settlement_account("40703810331000012345", "044525225")


@pytest.mark.parametrize(
    "account", ["4070381033100001234", "407038103310000123456", "4070381033100001234x", ""]
)
def test_settlement_account_of_other_shape_fails(account):
    assert not is_valid_settlement_account(account, "040407627")


def test_non_ascii_digits_are_not_digits():
    assert not is_valid_bic("04040762٧")
    assert not is_valid_settlement_account("4070381033100001234٥", "040407627")


@pytest.mark.parametrize("bic", ["140407627", "04040762", "0404076270", "", "O40407627"])
def test_bic_shapes_refused(bic):
    assert not is_valid_bic(bic)


@pytest.mark.parametrize("kpp", ["245201001", "2452AB001", "772501001"])
def test_kpp_accepted(kpp):
    assert is_valid_kpp(kpp)


@pytest.mark.parametrize("kpp", ["24520100", "2452ab001", "24520100A", "2452-01-001", ""])
def test_kpp_refused(kpp):
    assert not is_valid_kpp(kpp)
