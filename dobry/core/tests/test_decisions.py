"""Every permission check answers with a Decision (allowed + reason), in every app."""

import inspect
import typing
from importlib import import_module

import pytest
from django.apps import apps

from dobry.core.permissions import ALLOW, Decision, allow_if

CHECK_PREFIXES = ("can_",)


def _checks():
    for config in apps.get_app_configs():
        if not config.name.startswith("dobry."):
            continue
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and name.startswith(CHECK_PREFIXES):
                yield f"{module.__name__}.{name}", function


def test_there_are_checks_in_several_apps():
    modules = {name.rsplit(".", 1)[0] for name, _function in _checks()}
    assert {
        "dobry.events.permissions",
        "dobry.grants.permissions",
        "dobry.helprequests.permissions",
        "dobry.resources.permissions",
    } <= modules


CHECKS = dict(_checks())


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_can_function_returns_a_decision(name):
    assert typing.get_type_hints(CHECKS[name])["return"] is Decision, name


def test_allow_if_gives_the_reason_only_when_it_refuses():
    assert allow_if(True, "нет") is ALLOW
    refused = allow_if(False, "Нельзя.")
    assert not refused
    assert refused.reason == "Нельзя."
