import ast
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.feedback import domain_error_message, form_error_message, refusal_texts

DOBRY = Path(__file__).resolve().parents[2]


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _shown(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_refusal_becomes_an_error_message_and_the_view_goes_on():
    request = _request()
    with domain_error_message(request, success="Готово.") as outcome:
        raise InvalidTransition("Нельзя отменить закрытую заявку.")
    assert not outcome.ok
    assert isinstance(outcome.error, InvalidTransition)
    assert _shown(request) == [("error", "Нельзя отменить закрытую заявку.")]


def test_success_shows_the_success_message_only():
    request = _request()
    with domain_error_message(request, success="Готово.") as outcome:
        pass
    assert outcome.ok
    assert _shown(request) == [("success", "Готово.")]


def test_without_a_success_text_nothing_is_shown_on_success():
    request = _request()
    with domain_error_message(request):
        pass
    assert _shown(request) == []


def test_a_refusal_with_several_reasons_shows_each_reason():
    error = DomainError("a b")
    error.reasons = ["Нет мест.", "Нужна медкнижка."]  # type: ignore[attr-defined]
    assert refusal_texts(error) == ["Нет мест.", "Нужна медкнижка."]


def test_details_spell_out_each_fields_problem_after_the_message():
    error = DomainError("Проверьте файл.", field_errors={"upload": ["Слишком большой."]})
    assert refusal_texts(error) == ["Проверьте файл."]
    assert refusal_texts(error, details=True) == ["Проверьте файл.", "Слишком большой."]


def test_other_exceptions_are_not_swallowed():
    request = _request()
    with pytest.raises(ZeroDivisionError), domain_error_message(request, success="Готово."):
        1 / 0  # noqa: B018
    assert _shown(request) == []


def _hand_written_refusals(path: Path) -> list[int]:
    """Lines where a view catches DomainError only to show its message by hand."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            if "DomainError" not in ast.unparse(node.type):
                continue
            body = ast.unparse(node)
            if "messages.error(" in body and "error.message" in body:
                found.append(node.lineno)
    return found


def test_no_view_turns_a_domain_error_into_a_message_by_hand():
    copies = {
        str(path.relative_to(DOBRY)): lines
        for path in DOBRY.rglob("*.py")
        # view modules, and the modules of a `views/` package
        if ("views" in path.name or "views" in path.parts)
        and "tests" not in path.parts
        and (lines := _hand_written_refusals(path))
    }
    # grants' application form page shows a refusal on the form, or as a message when the
    # page has no form (two branches of one handler), which the helper does not model.
    copies.pop("grants/views.py", None)
    assert copies == {}


def test_a_refused_form_not_shown_again_says_what_each_field_refused():
    class ReasonForm(forms.Form):
        reason = forms.CharField(label="Причина", max_length=20)
        note = forms.CharField(label="Заметка", required=False, max_length=5)

    request = _request()
    form = ReasonForm({"reason": "болею\x00", "note": "слишком длинно"})
    assert not form.is_valid()
    form_error_message(request, form, "Объясните причину.")
    [(level, text)] = _shown(request)
    assert level == "error"
    assert text.startswith("Объясните причину. ")
    assert "Причина: Данные содержат запрещённый символ: ноль-байт" in text
    assert "Заметка: Убедитесь, что это значение содержит не более 5 символов" in text


def test_a_missing_value_is_said_by_the_summary_alone():
    class ReasonForm(forms.Form):
        reason = forms.CharField(label="Причина")

    request = _request()
    form = ReasonForm({})
    assert not form.is_valid()
    form_error_message(request, form, "Объясните причину.")
    assert _shown(request) == [("error", "Объясните причину.")]
