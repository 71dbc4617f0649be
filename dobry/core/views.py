from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from dobry.core import accessibility
from dobry.core.audit import describe
from dobry.core.forms import AuditFilterForm, LowVisionForm
from dobry.core.models import AuditEntry
from dobry.core.redirects import redirect_to_next
from dobry.core.request_values import form_values, paginate


@require_POST
def low_vision_settings(request: HttpRequest) -> HttpResponse:
    """Change one setting of the mode for the visually impaired; works without JavaScript.
    A setting or value the panel does not offer is a 400 naming it."""
    data = form_values(LowVisionForm(request.POST))
    updated = accessibility.update(accessibility.read(request), data["field"], data["value"])
    response = redirect_to_next(request, "/")
    response.set_cookie(
        accessibility.COOKIE,
        updated.encode(),
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, for coordinators and admins; filter by object type and id."""
    user = request.user
    if not (user.is_coordinator or user.is_superuser):  # type: ignore[union-attr]
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor")
    filters = form_values(AuditFilterForm(request.GET or None))
    object_type = filters.get("object_type") or ""
    object_id = str(filters.get("object_id") or "")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    page = paginate(request.GET, entries, 50)
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "rows": describe(page.object_list),
            "object_type": object_type,
            "object_id": object_id,
        },
    )
