"""The one view that serves private files, after the owning object's permission check."""

import mimetypes

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.http.response import HttpResponseBase
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dobry.core.confirm import confirm_page
from dobry.core.files import file_key, private_files
from dobry.core.permissions import Actor


@require_http_methods(["GET", "HEAD", "POST"])
def private_file(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    """`GET /files/<app>.<model>.<field>/<pk>/`: the file as an attachment if the owner's
    rule allows `request.user` to read it. Otherwise one answer whatever the reason (no such
    row, no file, not allowed), so ids cannot be counted: an anonymous visitor is sent to log
    in, anyone else gets 404. In production (DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX set) nginx sends the bytes from an
    `internal` location named by `X-Accel-Redirect`; otherwise Django streams them.

    A field registered with `on_read` (an audited read of special-category data, e.g. a
    consent scan) is sent only on a POST with CSRF; its GET is a confirmation page that logs
    nothing (dobry/core/confirm.py). Other fields answer 405 to a POST."""
    entry = private_files().get(key)
    if entry is None:
        raise Http404
    audited = entry.on_read is not None
    if request.method == "POST" and not audited:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    manager = entry.model._default_manager
    instance = (
        manager.select_related(*entry.select_related).defer(*entry.defer).filter(pk=pk).first()
    )
    file = getattr(instance, entry.field.attname) if instance is not None else None
    readable = instance is not None and entry.can_read(request.user, instance)
    if instance is None or not (readable and file and file.storage.exists(file.name)):
        # One answer whatever the reason — no such row, no file, not allowed — so ids
        # cannot be counted: anonymous visitors are sent to log in, others get 404.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if audited and request.method != "POST":
        return confirm_page(
            request,
            title=_("Файл с особыми персональными данными"),
            explanation=_(
                "Это особая категория персональных данных (152-ФЗ, ст. 10). Скачайте файл, "
                "только если он нужен для работы: скачивание записывается в журнал."
            ),
            button=_("Скачать"),
        )
    if entry.on_read is not None:
        entry.on_read(request.user, instance)
    return _attachment(file, entry.display_name(instance))


def private_file_answer(user: Actor, instance: Model, field_name: str) -> HttpResponseBase:
    """The private file of `instance` as a download for `user`, by the rule it was
    registered with (`register_private`): the API's way to the same file the page links
    through `private_file`, for bearer-token callers too. Http404 when there is no file or
    the rule refuses (one answer, as above). Audited files (`on_read`) are not served here:
    their reading is a confirmed POST on the page."""
    entry = private_files()[file_key(type(instance), field_name)]
    if entry.on_read is not None:
        raise Http404
    file = getattr(instance, entry.field.attname)
    if not (entry.can_read(user, instance) and file and file.storage.exists(file.name)):
        raise Http404
    return _attachment(file, entry.display_name(instance))


def _attachment(file: FieldFile, filename: str) -> HttpResponseBase:
    """The file as a download named `filename`, never cached or sniffed: through nginx's
    `X-Accel-Redirect` when DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX is set, streamed otherwise."""
    prefix = settings.DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(
            content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream"
        )
        response["X-Accel-Redirect"] = iri_to_uri(prefix.rstrip("/") + "/" + str(file.name))
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(file.open("rb"), as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
