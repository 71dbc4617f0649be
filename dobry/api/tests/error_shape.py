"""What every error answer of the API must look like (issue 11 §2): the one JSON shape,
every message in Russian (a request without Accept-Language), no English text of pydantic
or ninja."""

import re
from typing import Any

CYRILLIC = re.compile(r"[а-яё]", re.I)
ENGLISH = re.compile(
    r"Input should|String should|Value error|Field required|should have|Cannot parse|"
    r"CSRF check|Not Found|Unauthorized|Method not allowed|Extra inputs|Forbidden|"
    r"valid (integer|number|date|datetime|string|list|dictionary)",
    re.I,
)


def shape_problems(response: Any) -> list[str]:
    """Why an error answer breaks the rule (empty when it keeps it)."""
    if response.status_code < 400:
        return []
    if not response.get("Content-Type", "").startswith("application/json"):
        return [f"{response.status_code} not JSON: {response.get('Content-Type')}"]
    body = response.json()
    if not isinstance(body, dict) or set(body) != {"message", "errors"}:
        return [f"{response.status_code} shape {str(body)[:200]}"]
    errors = body["errors"]
    if not isinstance(errors, dict) or not all(
        isinstance(key, str) and isinstance(items, list) and all(isinstance(i, str) for i in items)
        for key, items in errors.items()
    ):
        return [f"{response.status_code} errors {str(errors)[:200]}"]
    messages = [body["message"], *(item for items in errors.values() for item in items)]
    return [
        f"{response.status_code} not Russian: {message[:200]}"
        for message in messages
        if not isinstance(message, str) or not CYRILLIC.search(message) or ENGLISH.search(message)
    ]
