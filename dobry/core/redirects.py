"""Where a view may send the browser next: only back to this site.

Every `next` parameter, stored link or referer a view redirects to passes through
`local_url`; otherwise a link like `/volunteer/profile/?next=https://x.example` sends a
signed-in person to a look-alike site after a real save (an open redirect, CWE-601).
"""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request: HttpRequest, url: str | None) -> str | None:
    """`url` if it leads to this site (relative, or this host; https when the request came
    over https), else None. Refuses `//x.example`, `/\\\\x.example`, `javascript:`…"""
    if not url:
        return None
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else None


def redirect_to_next(request: HttpRequest, fallback: str, *args: object) -> HttpResponseRedirect:
    """Redirect to the request's `next` (the form's field first, then the query string) when
    it is local, else to `fallback` (a URL name with `args`, or a path)."""
    target = local_url(request, request.POST.get("next") or request.GET.get("next"))
    if target is not None:
        return HttpResponseRedirect(target)
    return redirect(fallback, *args)
