"""Reads that must not happen on a plain GET.

A link that reveals health data or downloads personal data is followed by link checkers,
mail scanners and prefetching browsers too: each such fetch would write an audit entry
(«X read the health data») and put a file on a disk. Such views act only on a POST, which
carries the CSRF token of a real page; a GET (or HEAD) gets `confirm_page`, which reads and
exports nothing and offers the button that sends the POST. Pages link to them with
`templates/includes/post_button.html`.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


def confirm_page(
    request: HttpRequest,
    *,
    title: str | Promise,
    explanation: str | Promise,
    button: str | Promise,
    back_url: str = "",
) -> HttpResponse:
    """The confirmation page for a GET of a POST-only read: it posts back to the same URL
    (query string kept, so a report's period survives)."""
    return render(
        request,
        "core/confirm.html",
        {"title": title, "explanation": explanation, "button": button, "back_url": back_url},
    )
