import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from dobry.env import env_bool, env_choice, env_int, env_ip_networks, env_list, env_str


def test_env_bool_reads_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_fails_loudly_on_non_numbers_and_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "eighty")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_NUM", 5, minimum=1)


def test_required_string_without_default_fails(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET"):
        env_str("X_SECRET")


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.ru, b.ru,,")
    assert env_list("X_HOSTS", []) == ["a.ru", "b.ru"]
    monkeypatch.setenv("X_MODE", "staging")
    with pytest.raises(ImproperlyConfigured):
        env_choice("X_MODE", "development", ("development", "production"))


def test_env_int_fails_loudly_above_maximum(monkeypatch):
    monkeypatch.setenv("X_NUM", "1000")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be at most 366"):
        env_int("X_NUM", 90, minimum=1, maximum=366)
    monkeypatch.setenv("X_NUM", "366")
    assert env_int("X_NUM", 90, minimum=1, maximum=366) == 366


def test_env_ip_networks_reads_addresses_and_cidr_blocks(monkeypatch):
    monkeypatch.setenv("X_PROXIES", "127.0.0.1, 10.0.0.0/8, ::1")
    assert env_ip_networks("X_PROXIES", []) == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    )
    monkeypatch.delenv("X_PROXIES")
    assert env_ip_networks("X_PROXIES", []) == ()


def test_env_ip_networks_fails_loudly_on_a_host_name(monkeypatch):
    monkeypatch.setenv("X_PROXIES", "127.0.0.1,nginx")
    with pytest.raises(ImproperlyConfigured, match=r"X_PROXIES.*'nginx'"):
        env_ip_networks("X_PROXIES", [])
