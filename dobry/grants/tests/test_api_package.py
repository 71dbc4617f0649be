"""The grants API is a package of submodules (issue 12): its operations, their ids and the
components they use are the ones clients generated code from before the split, and the
package keeps its parts short."""

import ast
from pathlib import Path

import pytest
from django.test import Client

import dobry.grants
from dobry.grants import api

OPERATIONS = [
    ("GET", "/competitions", "competition_list"),
    ("POST", "/competitions", "competition_create"),
    ("GET", "/competitions/{pk}", "competition_detail"),
    ("PATCH", "/competitions/{pk}", "competition_update"),
    ("POST", "/competitions/{pk}/publish", "competition_publish"),
    ("POST", "/competitions/{pk}/criteria", "criterion_add"),
    ("PUT", "/criteria/{pk}", "criterion_change"),
    ("POST", "/competitions/{pk}/applications", "application_create"),
    ("GET", "/applications/{pk}", "application_detail"),
    ("PATCH", "/applications/{pk}", "application_save"),
    ("POST", "/applications/{pk}/submit", "application_submit"),
    ("POST", "/applications/{pk}/withdraw", "application_withdraw"),
    ("POST", "/applications/{pk}/screening", "application_screen"),
    ("GET", "/competitions/{pk}/experts", "expert_list"),
    ("POST", "/competitions/{pk}/experts", "expert_add"),
    ("POST", "/competitions/{pk}/assign", "assign"),
    ("POST", "/applications/{pk}/experts", "review_assign"),
    ("PUT", "/reviews/{pk}/due", "review_reschedule"),
    ("GET", "/competitions/{pk}/final-allocation/wait", "final_allocation_wait"),
    ("POST", "/applications/{pk}/conflicts", "conflict_declare"),
    ("POST", "/reviews/{pk}/recusal", "review_recuse"),
    ("GET", "/me/reviews", "my_reviews"),
    ("GET", "/reviews/{pk}", "review_detail"),
    ("PUT", "/reviews/{pk}", "review_save"),
    ("GET", "/applications/{pk}/reviews", "application_reviews"),
    ("GET", "/competitions/{pk}/ranking", "ranking"),
    ("POST", "/competitions/{pk}/allocation", "allocation"),
    ("POST", "/competitions/{pk}/meetings", "meeting_create"),
    ("POST", "/meetings/{pk}/decision", "meeting_decide"),
    ("POST", "/competitions/{pk}/results/publish", "results_publish"),
    ("GET", "/competitions/{pk}/results", "competition_results"),
]
COMPONENTS = {
    "AllocationIn", "AllocationOut", "AmendmentIn", "ApplicationCreate", "ApplicationIn",
    "ApplicationOut", "ApplicationReason", "ApplicationResult", "ApplicationStatus",
    "AssignmentIn", "AssignmentOut", "CommissionDecisionIn", "CommissionMeetingIn",
    "CommissionMeetingOut", "CompetitionIn", "CompetitionKind", "CompetitionOut",
    "CompetitionTerms", "ConflictIn", "CriterionIn", "CriterionOut", "DueIn", "Error",
    "ExpertIn", "ExpertOut", "ExpertSector", "ExpertTotalOut", "FinalAllocationWaitOut",
    "MemberIn", "OrganizationKind", "OtherReviewOut", "PagedCompetitionOut", "PagedExpertOut",
    "PagedRankedOut", "PagedReviewOut", "RankedOut", "RecusalIn", "ResultRowOut", "ResultsOut",
    "ReviewIn", "ReviewOut", "Rule", "ScreeningIn", "WaitingApplicationOut",
}  # fmt: skip
GRANTS = Path(dobry.grants.__file__).parent


def _grants_operations(document: dict) -> list[tuple[str, str, str]]:
    return [
        (method.upper(), path.removeprefix("/api/v1"), operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "grant competitions" in operation.get("tags", [])
    ]


def _refs(value: object, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "$ref":
                found.add(inner.rsplit("/", 1)[-1])
            else:
                _refs(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _refs(inner, found)


def _components_used(document: dict) -> set[str]:
    found: set[str] = set()
    for path_item in document["paths"].values():
        for operation in path_item.values():
            if "grant competitions" in operation.get("tags", []):
                _refs(operation, found)
    seen: set[str] = set()
    while found - seen:
        name = (found - seen).pop()
        seen.add(name)
        _refs(document["components"]["schemas"][name], found)
    return seen


@pytest.mark.django_db
def test_the_operations_keep_their_paths_order_and_ids():
    document = Client().get("/api/v1/openapi.json").json()
    expected = [(method, path, f"dobry_grants_api_{name}") for method, path, name in OPERATIONS]
    # the competitions' operations first, as before the split; what came after (agreements,
    # the work calendar) follows them
    assert _grants_operations(document)[: len(expected)] == expected


@pytest.mark.django_db
def test_the_operations_use_the_same_components():
    document = Client().get("/api/v1/openapi.json").json()
    assert _components_used(document) >= COMPONENTS


def test_each_part_of_the_process_is_its_own_submodule_of_at_most_400_lines():
    modules = sorted(path.name for path in Path(api.__file__).parent.glob("*.py"))
    assert modules == [
        "__init__.py",
        "access.py",
        "agreements.py",
        "applications.py",
        "calendar.py",
        "competitions.py",
        "experts.py",
        "outcomes.py",
        "reports.py",
        "results.py",
        "reviews.py",
    ]
    for path in Path(api.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(GRANTS)}:{node.lineno} {node.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 50
    ]


def test_no_function_of_grants_runs_past_50_lines():
    """STYLE.md: a function past ~50 lines is split into named steps (tests included)."""
    paths = [path for path in GRANTS.rglob("*.py") if "migrations" not in path.parts]
    assert [long for path in paths for long in _long_functions(path)] == []
