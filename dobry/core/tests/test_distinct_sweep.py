"""A sweep of the source: `values()` / `values_list()` followed by `.distinct()` must clear
the ordering (`.order_by()` or an explicit one) in the same chain. Django adds the
ordering's columns — a model's `Meta.ordering` included — to a SELECT DISTINCT, so the
distinct values came back once per row: the news feed's organisation filter read every
item (3,000 at city scale) to offer about 300 organisations."""

import ast
from pathlib import Path

import dobry

SOURCE = Path(dobry.__file__).parent


def _chain(node: ast.AST) -> list[str]:
    """The method names of a call chain, innermost first: a.b().c().d() → [b, c, d]."""
    names: list[str] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        names.append(node.func.attr)
        node = node.func.value
    return names[::-1]


def distinct_values_without_ordering(tree: ast.AST) -> list[int]:
    """Lines of `….values…(…)….distinct()` chains with no `order_by` before the DISTINCT
    and no `count()` after it (a count drops the ordering itself)."""
    lines = []
    outer: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in outer:
            continue
        chain = _chain(node)
        inner = node
        while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
            outer.add(id(inner))
            inner = inner.func.value
        if "distinct" not in chain:
            continue
        before = chain[: chain.index("distinct")]
        after = chain[chain.index("distinct") + 1 :]
        reads_values = any(n in ("values", "values_list") for n in before)
        if reads_values and "order_by" not in chain and "count" not in after:
            lines.append(node.lineno)
    return lines


def test_the_sweep_finds_the_fault_it_is_for():
    bad = ast.parse("x = Item.objects.values_list('pk', flat=True).distinct()")
    fine = ast.parse(
        "a = Item.objects.values_list('pk', flat=True).order_by().distinct()\n"
        "b = Item.objects.values('o').distinct().count()\n"
        "c = Item.objects.filter(x=1).distinct()\n"
    )
    assert distinct_values_without_ordering(bad) == [1]
    assert distinct_values_without_ordering(fine) == []


def test_no_distinct_values_keep_an_ordering():
    found = [
        f"{path.relative_to(SOURCE.parent)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for line in distinct_values_without_ordering(ast.parse(path.read_text()))
    ]
    assert found == []
