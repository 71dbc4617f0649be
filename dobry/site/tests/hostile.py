"""Hostile values for the sweeps: what a careless or malicious client sends where an id, a
number, a date or a text is expected. Each one must get a clear 4xx or be read correctly,
never a 5xx (issue 11 §2)."""

HUGE_PAGE = "99999999999999999999999"

HOSTILE_TEXTS = (
    "²",  # a digit to str.isdigit(), not to int()
    "٣",  # Arabic-Indic three: int() reads it as 3
    "²²²²²²²²²²",
    "1" * 30,
    HUGE_PAGE,
    "9223372036854775808",  # one past the largest 64-bit integer
    "0",
    "-1",
    "1.5",
    "1e400",
    "",
    "x" * 5000,
    "'\"<>",
    "a\u0000b",
    "a\u000bb\u202ec",  # a vertical tab and a right-to-left override (issue 11)
    "a\u200bb\ufeffc\uffff",  # zero-width space and no-break, a noncharacter (issue 11)
    "Организация\nBcc: victim@example.com",  # a line break in a one-line text (issue 11)
    "ünïcødé 😀 ",
    "0001-01-01",
    "9999-12-31",
    "2026-13-45",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
)

# Names of request parameters read outside forms (grep `request.GET`, `request.POST`), plus
# the usual ones; the page sweep adds every field name of every form.
PARAMETER_NAMES = (
    "page",
    "district",
    "category",
    "status",
    "week",
    "year",
    "day",
    "month",
    "from",
    "to",
    "period",
    "format",
    "q",
    "object_type",
    "object_id",
    "represents",
    "group",
    "volunteer",
    "registration",
    "expert",
    "decision",
    "answer",
    "reason",
    "value",
    "field",
    "final",
    "action",
    "autosave",
    "code",
    "kind",
    "id",
)
