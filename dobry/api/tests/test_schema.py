"""What schemathesis reported about the OpenAPI schema besides server errors."""

from collections import Counter

import pytest
from django.test import Client
from ninja import Schema


def _schema() -> dict:
    return Client().get("/api/v1/openapi.json").json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/competitions", "/api/v1/competitions/{pk}", "/api/v1/kpi"]
)
def test_public_operations_say_that_credentials_are_optional(path):
    security = _schema()["paths"][path]["get"]["security"]
    assert {} in security
    assert {"BearerTokenAuth": []} in security


@pytest.mark.django_db
def test_operations_that_need_a_user_do_not_say_credentials_are_optional():
    security = _schema()["paths"]["/api/v1/me"]["get"]["security"]
    assert {} not in security


@pytest.mark.django_db
def test_public_operations_answer_without_credentials(client):
    assert client.get("/api/v1/competitions").status_code == 200
    assert client.get("/api/v1/kpi").status_code == 200


def _schema_classes() -> list[type[Schema]]:
    found, pending = [], [Schema]
    while pending:
        schema_class = pending.pop()
        pending.extend(schema_class.__subclasses__())
        if schema_class.__module__.startswith("dobry.") and ".tests" not in schema_class.__module__:
            found.append(schema_class)
    return found


@pytest.mark.django_db
def test_no_two_schemas_share_a_name():
    _schema()  # every router loaded
    names = Counter(schema_class.__name__ for schema_class in _schema_classes())
    assert len(names) > 50
    assert [name for name, count in names.items() if count > 1] == []
    components = _schema()["components"]["schemas"]
    assert {"GroupMeetingOut", "CommissionMeetingOut"} <= set(components)
    assert "MeetingOut" not in components


def _component_classes(monkeypatch) -> dict[str, set[str]]:
    """Each component name of the document and the classes (module.qualname) named so."""
    import ninja.openapi.schema

    from dobry.api.api import _JsonSchema, api

    names: dict[str, set[str]] = {}

    class Recording(_JsonSchema):
        def get_defs_ref(self, core_mode_ref):
            path = core_mode_ref[0].rsplit(":", 1)[0]
            name = self.qualified(path).rsplit(".", 1)[-1]  # pydantic's choice without a clash
            names.setdefault(name, set()).add(path)
            return super().get_defs_ref(core_mode_ref)

    _schema()  # every router mounted
    monkeypatch.setattr(ninja.openapi.schema, "NinjaGenerateJsonSchema", Recording)
    api.get_openapi_schema()
    return names


def _enum_class(path: str) -> type:
    import enum
    import importlib

    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        assert isinstance(found, type), path
        assert issubclass(found, enum.Enum), path
        return found
    raise AssertionError(path)


@pytest.mark.django_db
def test_no_two_enums_share_a_component_name(monkeypatch):
    components = _schema()["components"]["schemas"]
    enums = {name: schema for name, schema in components.items() if "enum" in schema}
    assert len(enums) > 15
    classes = _component_classes(monkeypatch)
    for name, schema in enums.items():
        assert len(classes[name]) == 1, (name, classes[name])
        enum_class = _enum_class(next(iter(classes[name])))
        assert schema["enum"] == [member.value for member in enum_class], name
    assert {"HelpRequestStatus", "ApplicationStatus", "EventKind", "OrganizationKind"} <= set(enums)
    assert not {"Status", "Kind"} & set(components)


@pytest.mark.django_db
def test_event_kinds_are_the_kinds_of_an_event():
    from dobry.events.models import Event

    schema = _schema()
    kind = schema["components"]["schemas"]["EventIn"]["properties"]["kind"]
    ref = kind["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][ref]["enum"] == list(Event.Kind.values)
    transition = schema["components"]["schemas"]["TransitionIn"]["properties"]["to"]
    assert transition["$ref"].endswith("/HelpRequestStatus")


def _objects_of(schema: dict, components: dict, seen: set[str]) -> list[tuple[str, dict]]:
    """Every object schema a request body may hold, with its component name."""
    found: list[tuple[str, dict]] = []
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[1]
        if name in seen:
            return found
        seen.add(name)
        target = components[name]
        if target.get("type") == "object" or "properties" in target:
            found.append((name, target))
        schema = target
    for key in ("properties",):
        for value in schema.get(key, {}).values():
            found.extend(_objects_of(value, components, seen))
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found.extend(_objects_of(schema[key], components, seen))
    for key in ("anyOf", "allOf", "oneOf"):
        for value in schema.get(key, []):
            found.extend(_objects_of(value, components, seen))
    return found


@pytest.mark.django_db
def test_every_request_body_refuses_unknown_fields():
    document = _schema()
    components = document["components"]["schemas"]
    bodies: list[tuple[str, dict]] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for name, schema in _objects_of(content["schema"], components, set()):
                    bodies.append((f"{method.upper()} {path}: {name}", schema))
    assert len(bodies) > 50
    assert [
        where for where, schema in bodies if schema.get("additionalProperties") is not False
    ] == []


@pytest.mark.django_db
def test_operation_ids_are_unique_and_name_the_apps_api():
    """An app's API split into an `api/` package keeps `dobry_<app>_api_<function>`: the
    submodule is not part of the id, so two submodules may not define the same name."""
    operations = [o for item in _schema()["paths"].values() for o in item.values()]
    ids = Counter(operation["operationId"] for operation in operations)
    assert [name for name, count in ids.items() if count > 1] == []
    assert "dobry_grants_api_review_save" in ids  # defined in dobry.grants.api.reviews
    assert "dobry_communications_news_api_list_news" in ids  # a module named api is kept
