"""The photos of a project's public summary through the API (multipart `POST
/grant-projects/{id}/photos`, `DELETE /grant-project-photos/{id}`): the grantee only, every
photo described, a hostile file refused at its field (422) with nothing stored, the same
permission functions (`get_project_photo_for_user`, `can_edit_summary`) as the page."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.tests.factories import png
from dobry.core.models import AuditEntry
from dobry.grants.models import Competition, ProjectPhoto
from dobry.grants.services.outcomes import PHOTOS_MAX
from dobry.grants.tests.outcomes import finished_project, grantee_of, official_of, running_project

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _add(client, project, **data):
    return client.post(f"{API}/grant-projects/{project.pk}/photos", data)


def test_the_grantee_adds_a_described_photo_shown_in_the_summary():
    project = finished_project()
    grantee = bearer(grantee_of(project.application))
    added = _add(grantee, project, photo=png("dvor.png"), alt="  Дети на новой площадке ")
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["alt"] == "Дети на новой площадке"
    assert body["url"].startswith("/media/grants/outcomes/")
    summary = Client().get(f"{API}/grant-projects/{project.pk}").json()["summary"]
    assert summary["photos"] == [body]
    assert AuditEntry.objects.filter(action="project.photo_add").count() == 1


def test_the_grantee_adds_photos_while_the_project_runs_on_a_signed_agreement():
    project = running_project()
    added = _add(bearer(grantee_of(project.application)), project, photo=png(), alt="Двор")
    assert added.status_code == 201


@pytest.mark.parametrize("who", ["resident", "organiser", "official"])
def test_no_one_but_the_grantee_adds_a_photo(who):
    project = finished_project()
    user = {
        "resident": UserFactory,
        "organiser": lambda: official_of(project),
        "official": lambda: UserFactory(is_official=True),
    }[who]()
    refused = _add(bearer(user), project, photo=png(), alt="Двор")
    assert refused.status_code == 403
    assert refused.json()["message"] == "Итоги проекта пишет получатель гранта."
    assert not ProjectPhoto.objects.exists()


def test_anonymous_adds_nothing():
    project = finished_project()
    assert _add(Client(), project, photo=png(), alt="Двор").status_code == 401
    assert not ProjectPhoto.objects.exists()


def test_a_project_whose_results_are_not_published_is_not_found():
    project = finished_project()
    Competition.objects.filter(pk=project.application.competition_id).update(
        status=Competition.Status.DECIDED
    )
    refused = _add(bearer(grantee_of(project.application)), project, photo=png(), alt="Двор")
    assert refused.status_code == 404


@pytest.mark.parametrize("alt", ["", "   ", "\t\n"])
def test_a_photo_without_a_description_is_refused_at_its_field(alt):
    project = finished_project()
    refused = _add(bearer(grantee_of(project.application)), project, photo=png(), alt=alt)
    assert refused.status_code == 422
    assert "alt" in refused.json()["errors"]
    assert not ProjectPhoto.objects.exists()


def test_a_description_over_its_limit_is_refused_not_cut():
    project = finished_project()
    refused = _add(bearer(grantee_of(project.application)), project, photo=png(), alt="д" * 301)
    assert refused.status_code == 422
    assert "alt" in refused.json()["errors"]
    assert not ProjectPhoto.objects.exists()


def test_a_missing_photo_or_description_is_a_422_naming_it():
    project = finished_project()
    grantee = bearer(grantee_of(project.application))
    no_photo = _add(grantee, project, alt="Двор")
    assert no_photo.status_code == 422
    assert "photo" in str(no_photo.json()["errors"])
    no_alt = _add(grantee, project, photo=png())
    assert no_alt.status_code == 422
    assert "alt" in str(no_alt.json()["errors"])


def _bytes_of(image: Image.Image, format_: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_)
    return buffer.getvalue()


HOSTILE = {
    "an executable named .png": SimpleUploadedFile("dvor.png", b"MZ\x90\x00not a picture"),
    "an empty file": SimpleUploadedFile("dvor.jpg", b""),
    "a cut PNG": SimpleUploadedFile("dvor.png", _bytes_of(Image.new("RGB", (40, 20)), "PNG")[:40]),
    "an SVG with a script": SimpleUploadedFile(
        "dvor.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ),
    "a GIF": SimpleUploadedFile("dvor.gif", _bytes_of(Image.new("P", (10, 10)), "GIF")),
    "an HTML page": SimpleUploadedFile("dvor.html", b"<html><script>alert(1)</script></html>"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_at_the_photo_field_and_nothing_is_stored(name, tmp_path):
    project = finished_project()
    upload = HOSTILE[name]
    upload.seek(0)
    refused = _add(bearer(grantee_of(project.application)), project, photo=upload, alt="Двор")
    assert refused.status_code == 422, refused.content
    assert "photo" in refused.json()["errors"]
    assert not ProjectPhoto.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "grants" / "outcomes").rglob("*"))


def test_a_picture_too_many_pixels_is_refused(settings):
    settings.DOBRY_IMAGE_MAX_PIXELS = 100
    project = finished_project()
    refused = _add(bearer(grantee_of(project.application)), project, photo=png(), alt="Двор")
    assert refused.status_code == 422
    assert "photo" in refused.json()["errors"]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOBRY_LOGO_MAX_BYTES = 10
    project = finished_project()
    refused = _add(bearer(grantee_of(project.application)), project, photo=png(), alt="Двор")
    assert refused.status_code == 422
    assert "photo" in refused.json()["errors"]


def test_the_stored_photo_carries_no_metadata():
    project = finished_project()
    image = Image.new("RGB", (30, 30), (10, 200, 10))
    exif = Image.Exif()
    exif[0x013B] = "Иван Петров"  # Artist
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("dvor.jpg", buffer.getvalue(), content_type="image/jpeg")
    added = _add(bearer(grantee_of(project.application)), project, photo=upload, alt="Двор")
    assert added.status_code == 201
    stored = ProjectPhoto.objects.get()
    with Image.open(stored.photo.path) as kept:
        assert not kept.getexif()


def test_more_photos_than_the_summary_shows_are_refused():
    project = finished_project()
    for n in range(PHOTOS_MAX):
        ProjectPhoto.objects.create(agreement=project, photo=f"grants/outcomes/{n}.png", alt="x")
    refused = _add(bearer(grantee_of(project.application)), project, photo=png(), alt="Двор")
    assert refused.status_code == 422
    assert str(PHOTOS_MAX) in refused.json()["message"]
    assert ProjectPhoto.objects.count() == PHOTOS_MAX


def _photo(project):
    grantee = bearer(grantee_of(project.application))
    return grantee, _add(grantee, project, photo=png(), alt="Двор").json()["id"]


def test_the_grantee_deletes_a_photo_with_its_file(django_capture_on_commit_callbacks):
    project = finished_project()
    grantee, photo_id = _photo(project)
    path = ProjectPhoto.objects.get(pk=photo_id).photo.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        removed = grantee.delete(f"{API}/grant-project-photos/{photo_id}")
    assert removed.status_code == 204
    assert not ProjectPhoto.objects.exists()
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="project.photo_delete").count() == 1
    assert grantee.delete(f"{API}/grant-project-photos/{photo_id}").status_code == 404


@pytest.mark.parametrize("who", ["resident", "organiser"])
def test_no_one_but_the_grantee_deletes_a_photo(who):
    project = finished_project()
    _grantee, photo_id = _photo(project)
    user = UserFactory() if who == "resident" else official_of(project)
    refused = bearer(user).delete(f"{API}/grant-project-photos/{photo_id}")
    assert refused.status_code == 403
    assert ProjectPhoto.objects.filter(pk=photo_id).exists()


def test_anonymous_deletes_nothing_and_a_hidden_projects_photo_is_not_found():
    project = finished_project()
    _grantee, photo_id = _photo(project)
    assert Client().delete(f"{API}/grant-project-photos/{photo_id}").status_code == 401
    Competition.objects.filter(pk=project.application.competition_id).update(
        status=Competition.Status.DECIDED
    )
    assert bearer(UserFactory()).delete(f"{API}/grant-project-photos/{photo_id}").status_code == 404
    assert ProjectPhoto.objects.filter(pk=photo_id).exists()


def test_the_operations_are_in_the_openapi_schema():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    assert "post" in paths[f"{API}/grant-projects/{{pk}}/photos"]
    assert "delete" in paths[f"{API}/grant-project-photos/{{pk}}"]
    body = paths[f"{API}/grant-projects/{{pk}}/photos"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
