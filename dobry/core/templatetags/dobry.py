from typing import Any

from django import template

from dobry.core.numbers import plain_number

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def plain(value: Any) -> str:
    """4.50 → «4,5», 12.00 → «12» (see dobry.core.numbers)."""
    return plain_number(value)
