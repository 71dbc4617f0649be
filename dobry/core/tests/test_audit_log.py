import ast
from pathlib import Path

import pytest

from dobry.core.audit import ACTIONS, FIELDS, describe, log_action
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import OrganizationFactory

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def entry(db, resident):
    organization = OrganizationFactory(short_name="Аудит")
    return log_action(actor=resident, action="organization.update", obj=organization)


def test_anonymous_is_sent_to_login(client, entry):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_is_forbidden(login_as, outsider, entry):
    assert login_as(outsider).get("/audit/").status_code == 403


def test_coordinator_sees_entries_filtered_by_object(login_as, coordinator, entry):
    other = OrganizationFactory(short_name="Другая")
    log_action(actor=None, action="organization.verify", obj=other)
    response = login_as(coordinator).get(
        "/audit/", {"object_type": entry.object_type, "object_id": entry.object_id}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Изменены сведения об организации" in body
    assert "Организация проверена" not in body


@pytest.mark.parametrize("count", [1, 40])
def test_audit_log_has_a_fixed_query_count(
    login_as, admin_user, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    for number in range(count):
        log_action(
            actor=admin_user,
            action="membership.set_role",
            obj=organization,
            data={"user": admin_user.pk + number, "from": "editor", "to": "owner"},
        )
    client = login_as(admin_user)
    with django_assert_max_num_queries(9):
        assert client.get("/audit/").status_code == 200


@pytest.mark.django_db
def test_the_log_shows_actions_in_words_and_data_as_lines_not_codes_and_dicts(
    login_as, coordinator, resident
):
    """Issue 11 §6: the journal showed `helprequest.transition` and
    `{'from': 'new', 'to': 'verified', 'reason': ''}`."""
    help_request = HelpRequestFactory()
    log_action(
        actor=coordinator,
        action="helprequest.transition",
        obj=help_request,
        data={"from": "new", "to": "verified", "reason": ""},
    )
    organization = OrganizationFactory()
    log_action(
        actor=coordinator,
        action="membership.set_role",
        obj=organization,
        data={"user": resident.pk, "from": "editor", "to": "owner"},
    )
    log_action(
        actor=coordinator,
        action="organization.update",
        obj=organization,
        data={"fields": ["name", "inn"], "back_to_review": True},
    )
    log_action(
        actor=coordinator,
        action="hours.confirm",
        obj=organization,
        data={"hours": "4.50", "claimed": "5.00", "reason": "ушёл раньше"},
    )
    body = login_as(coordinator).get("/audit/").content.decode()
    new, verified = HelpRequest.Status.NEW.label, HelpRequest.Status.VERIFIED.label
    assert "Изменён статус просьбы" in body
    assert f"<li>было: {new}</li><li>стало: {verified}</li><li>причина: —</li>" in body
    assert "Изменена роль участника" in body
    editor, owner = Membership.Role.EDITOR.label, Membership.Role.OWNER.label
    assert f"<li>пользователь: {resident.display_name}</li>" in body
    assert f"<li>было: {editor}</li><li>стало: {owner}</li>" in body
    assert "<li>изменены поля: полное название, ИНН</li>" in body
    assert "<li>снова на проверку: да</li>" in body
    assert "<li>часы: 4,5</li><li>заявлено часов: 5</li><li>причина: ушёл раньше</li>" in body
    for raw in ("helprequest.transition", "membership.set_role", "{&#x27;", "{'", "True"):
        assert raw not in body


def test_describe_in_english_reads_english(db, coordinator):
    from django.utils import translation

    organization = OrganizationFactory()
    entry = log_action(
        actor=coordinator,
        action="organization.return",
        obj=organization,
        data={"reason": "нет устава"},
    )
    with translation.override("en"):
        [row] = describe([entry])
        assert row.action == "organisation returned for changes"
        assert row.lines == [("reason", "нет устава")]
        assert row.object_kind == "organisation"


def _comment_codes(node: ast.Call) -> list[str]:
    """An app's comment codes (`CommentAudit(...)`), logged by `core.moderation`, which
    reads them from the audit it is handed, so its own calls name no code."""
    assert all(isinstance(k.value, ast.Constant) for k in node.keywords), node.lineno
    return [k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)]


def _logged_actions() -> dict[str, set[str]]:
    """Every action code the code base logs, with the keys of its data."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "dobry").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).extend(
                        n.value
                        for n in ast.walk(node.value)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    )
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            name = getattr(func, "id", getattr(func, "attr", None))
            if isinstance(node, ast.Call) and name == "CommentAudit":
                found = {code: set() for code in _comment_codes(node)} | found
                continue
            if not isinstance(node, ast.Call) or name != "log_action":
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            action = keywords["action"]
            if path.name == "moderation.py" and "audit" in ast.unparse(action):
                continue
            if isinstance(action, ast.Name):
                codes = assigned.get(action.id, [])
            else:
                codes = [
                    n.value
                    for n in ast.walk(action)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
            assert codes, f"{path}:{node.lineno}: an action code the test cannot read"
            data = keywords.get("data")
            keys = (
                {k.value for k in data.keys if isinstance(k, ast.Constant)}
                if isinstance(data, ast.Dict)
                else set()
            )
            for code in codes:
                found.setdefault(code, set()).update(keys)
    return found


def test_every_logged_action_and_every_key_of_its_data_has_a_plain_name():
    logged = _logged_actions()
    assert len(logged) > 100
    assert sorted(set(logged) - set(ACTIONS)) == []
    keys = set().union(*logged.values())
    assert sorted(keys - set(FIELDS)) == []


def test_the_admin_shows_the_action_in_words_and_the_data_as_lines(login_as, admin_user):
    organization = OrganizationFactory()
    entry = log_action(
        actor=admin_user,
        action="organization.return",
        obj=organization,
        data={"reason": "нет устава"},
    )
    client = login_as(admin_user)
    listing = client.get("/admin/core/auditentry/").content.decode()
    assert "организация возвращена на доработку" in listing
    detail = client.get(f"/admin/core/auditentry/{entry.pk}/change/").content.decode()
    assert "причина: нет устава" in detail
    assert "{&quot;reason&quot;" not in detail
