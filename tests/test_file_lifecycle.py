"""A stored file lives exactly as long as the row that names it (`dobry/core/file_lifecycle.py`,
issue 11): for EVERY file field of every installed model, private and public, a deleted row —
directly, in the admin, or by a cascade from its owner — and a replaced or cleared file take
their stored file with them when the transaction commits; an upload whose transaction rolled
back is swept by the daily `sweep_orphan_files` job.

A new file field fails `test_every_file_field_has_an_owner_here` until it has a case in
`OWNERS` (private fields reuse the cases of `test_private_files.py`)."""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import deletion
from django.db.models.fields.files import FieldFile

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.news import services as news_services
from dobry.communications.tests.factories import NewsItemFactory, png
from dobry.core import file_lifecycle
from dobry.core.file_lifecycle import field_folder, sweep_orphan_files
from dobry.core.files import private_storage
from dobry.events.services import events as event_services
from dobry.events.tests.factories import EventFactory
from dobry.organizations import services as organization_services
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from tests.test_private_files import CASES, every_file_field

pytestmark = pytest.mark.django_db


@dataclass
class Owned:
    instance: models.Model
    field: str

    def __post_init__(self) -> None:
        self.pk = self.instance.pk  # Django empties it on delete()

    @property
    def file(self) -> FieldFile:
        return getattr(self.instance, self.field)


def logo_of_an_organisation() -> Owned:
    return Owned(OrganizationFactory(logo=png("logo.png")), "logo")


def cover_of_an_event() -> Owned:
    return Owned(EventFactory(cover=png("cover.png")), "cover")


def cover_of_a_news_item() -> Owned:
    return Owned(NewsItemFactory(cover=png("news.png"), cover_alt="Обложка"), "cover")


def cover_of_a_campaign() -> Owned:
    from dobry.charity.tests.factories import CampaignFactory

    return Owned(CampaignFactory(cover=png("campaign.png"), cover_alt="Обложка"), "cover")


def photo_of_a_campaign_update() -> Owned:
    from dobry.charity.models import CampaignUpdate
    from dobry.charity.tests.factories import CampaignFactory

    update = CampaignUpdate.objects.create(
        campaign=CampaignFactory(), text="Купили", photo=png("update.png"), photo_alt="Тренажёр"
    )
    return Owned(update, "photo")


def photo_of_an_initiative_result() -> Owned:
    from dobry.civic.models import TimelineEntry
    from dobry.civic.tests.factories import InitiativeFactory

    entry = TimelineEntry.objects.create(
        initiative=InitiativeFactory(), stage="done", photo=png("result.png"), photo_alt="Скамейки"
    )
    return Owned(entry, "photo")


def photo_of_a_grant_projects_results() -> Owned:
    from dobry.grants.models import ProjectPhoto
    from dobry.grants.tests.agreements import draft_agreement

    photo = ProjectPhoto.objects.create(
        agreement=draft_agreement(), photo=png("itogi.png"), alt="Дети на площадке"
    )
    return Owned(photo, "photo")


def _private(key: str) -> Callable[[], Owned]:
    def build() -> Owned:
        case = CASES[key]()
        return Owned(type(case.instance)._default_manager.get(pk=case.instance.pk), case.field)

    return build


OWNERS: dict[str, Callable[[], Owned]] = {
    "organizations.organization.logo": logo_of_an_organisation,
    "events.event.cover": cover_of_an_event,
    "communications.newsitem.cover": cover_of_a_news_item,
    "charity.campaign.cover": cover_of_a_campaign,
    "charity.campaignupdate.photo": photo_of_a_campaign_update,
    "civic.timelineentry.photo": photo_of_an_initiative_result,
    "grants.projectphoto.photo": photo_of_a_grant_projects_results,
    **{key: _private(key) for key in CASES},
}


class Refused(Exception):
    """Something later in the same transaction failed."""


def _then_fail(action: Callable[[], object]) -> None:
    """Run `action` in a transaction that something later refuses (rolled back)."""
    with transaction.atomic():
        action()
        raise Refused


def _path(file: FieldFile | str, storage=None) -> Path:
    name = file if isinstance(file, str) else file.name
    return Path((storage or file.storage).path(name))


def _reload(owned: Owned) -> Owned:
    return Owned(type(owned.instance)._default_manager.get(pk=owned.pk), owned.field)


def _gone(owned: Owned) -> bool:
    return not type(owned.instance)._base_manager.filter(pk=owned.pk).exists()


def test_every_file_field_has_an_owner_here():
    assert set(OWNERS) == set(every_file_field())


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_every_file_field_stores_under_a_folder_of_its_own(key):
    """The sweep looks only in the fields' folders: never at a storage's root."""
    app_model, field_name = key.rsplit(".", 1)
    field = apps.get_model(app_model)._meta.get_field(field_name)
    assert field_folder(field), key


# --- deleting the row -------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_deleting_the_row_deletes_its_file_on_commit(key, django_capture_on_commit_callbacks):
    owned = OWNERS[key]()
    stored = _path(owned.file)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        type(owned.instance)._default_manager.filter(pk=owned.instance.pk).delete()
        assert stored.exists()  # until the commit
    assert not stored.exists()


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_a_deletion_that_rolls_back_keeps_the_file(key, django_capture_on_commit_callbacks):
    owned = OWNERS[key]()
    stored = _path(owned.file)
    with django_capture_on_commit_callbacks(execute=True) as deletions, pytest.raises(Refused):
        _then_fail(owned.instance.delete)
    assert deletions == []
    assert not _gone(owned)
    assert stored.exists()


def _cascading_owners(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.remote_field.on_delete is models.CASCADE
    ]


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_deleting_the_owner_deletes_the_file_by_cascade(key, django_capture_on_commit_callbacks):
    """Each owner a row is deleted with (an event with its organisation, a material with its
    event…): the cascade takes the file too."""
    model = apps.get_model(key.rsplit(".", 1)[0])
    tried = 0
    for foreign_key in _cascading_owners(model):
        owned = OWNERS[key]()
        owner = getattr(owned.instance, foreign_key.name)
        if owner is None:
            continue
        stored = _path(owned.file)
        try:
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                owner.delete()
        except (deletion.ProtectedError, deletion.RestrictedError):
            continue  # this owner is kept by other records: deleted another way
        tried += 1
        assert _gone(owned), foreign_key.name
        assert not stored.exists(), foreign_key.name
    if not _cascading_owners(model):
        pytest.skip(f"{model._meta.label} is deleted with no owner")
    assert tried, f"no owner of {model._meta.label} could be deleted"


def test_deleting_an_event_deletes_its_cover_and_its_materials_files(
    django_capture_on_commit_callbacks,
):
    material = OWNERS["events.eventmaterial.file"]().instance
    event = material.event
    event.cover = png("cover.png")
    event.save()
    files = [_path(event.cover), _path(material.file)]
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert [path.exists() for path in files] == [False, False]


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_deleting_the_row_in_the_admin_deletes_its_file(
    key, admin_user, login_as, django_capture_on_commit_callbacks
):
    model = apps.get_model(key.rsplit(".", 1)[0])
    if not admin.site.is_registered(model):
        pytest.skip(f"{model._meta.label} has no admin page")
    owned = OWNERS[key]()
    stored = _path(owned.file)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{owned.instance.pk}/delete/"
    client = login_as(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert _gone(owned)
    assert not stored.exists()


# --- replacing and clearing -----------------------------------------------------------------


def _new_upload(owned: Owned) -> ContentFile:
    old = owned.file.name
    return ContentFile(_path(owned.file).read_bytes(), name=f"new{os.path.splitext(old)[1]}")


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_replacing_the_file_deletes_the_old_one_on_commit(key, django_capture_on_commit_callbacks):
    owned = OWNERS[key]()
    old = _path(owned.file)
    with django_capture_on_commit_callbacks(execute=True):
        setattr(owned.instance, owned.field, _new_upload(owned))
        owned.instance.save()
        assert old.exists()  # until the commit
    new = _reload(owned).file
    assert new.name
    assert _path(new) != old
    assert _path(new).exists()
    assert not old.exists()


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_a_replacement_that_rolls_back_keeps_the_old_file(key, django_capture_on_commit_callbacks):
    owned = OWNERS[key]()
    old = _path(owned.file)
    setattr(owned.instance, owned.field, _new_upload(owned))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused):
        _then_fail(owned.instance.save)
    assert _path(_reload(owned).file) == old
    assert old.exists()


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_clearing_the_file_deletes_it(key, django_capture_on_commit_callbacks):
    owned = OWNERS[key]()
    if not owned.file.field.blank:
        pytest.skip("the file is required")
    old = _path(owned.file)
    with django_capture_on_commit_callbacks(execute=True):
        setattr(owned.instance, owned.field, "")
        owned.instance.save()
    assert not _reload(owned).file
    assert not old.exists()


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_saving_other_columns_keeps_the_file_and_asks_nothing_more(key, django_assert_num_queries):
    """A save that leaves the file alone neither deletes it nor reads the row again."""
    owned = _reload(OWNERS[key]())
    stored = _path(owned.file)
    with django_assert_num_queries(1):
        owned.instance.save()
    assert stored.exists()
    assert _reload(owned).file.name == owned.file.name


def test_a_file_set_by_another_request_is_the_one_replaced(django_capture_on_commit_callbacks):
    """The database says which file is replaced, not the copy a stale instance remembers."""
    stale = _reload(logo_of_an_organisation())
    fresh = _reload(stale)
    with django_capture_on_commit_callbacks(execute=True):
        fresh.instance.logo = png("second.png")
        fresh.instance.save()
    second = _path(_reload(fresh).file)
    with django_capture_on_commit_callbacks(execute=True):
        stale.instance.logo = png("third.png")
        stale.instance.save()
    assert not second.exists()
    assert _path(_reload(stale).file).exists()


def test_a_new_logo_through_the_service_deletes_the_old(django_capture_on_commit_callbacks):
    membership = MembershipFactory(role=Membership.Role.OWNER)
    organization = membership.organization
    with django_capture_on_commit_callbacks(execute=True):
        organization_services.organization_update(
            actor=membership.user,
            organization=organization,
            fields={},
            logo=png("first.png"),
            confirm_review=True,  # a new logo of a verified organisation goes to review
        )
    first = _path(organization.logo)
    with django_capture_on_commit_callbacks(execute=True):
        organization_services.organization_update(
            actor=membership.user,
            organization=organization,
            fields={},
            logo=png("second.png"),
            confirm_review=True,
        )
    assert not first.exists()
    organization.refresh_from_db()
    assert _path(organization.logo).exists()


def test_a_new_event_cover_and_a_removed_news_cover_delete_the_old(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(cover=png("cover.png"))
    editor = MembershipFactory(organization=event.organization, role=Membership.Role.EDITOR).user
    old_cover = _path(event.cover)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(actor=editor, event=event, fields={}, cover=png("new.png"))
    assert not old_cover.exists()

    item = NewsItemFactory(cover=png("news.png"), cover_alt="Обложка")
    news_cover = _path(item.cover)
    with django_capture_on_commit_callbacks(execute=True):
        news_services.news_update(
            actor=UserFactory(is_coordinator=True), item=item, fields={}, remove_cover=True
        )
    assert not news_cover.exists()


# --- uploads of transactions that rolled back: the sweep ----------------------------------------


def _stored_names() -> set[tuple[str, str]]:
    names = set()
    for storage in (default_storage, private_storage()):
        root = Path(storage.location)
        if root.exists():
            names |= {
                (storage.location, str(p.relative_to(root))) for p in root.rglob("*") if p.is_file()
            }
    return names


def _age(storage_location: str, name: str, days: float) -> None:
    moment = time.time() - days * 86_400
    os.utime(Path(storage_location, name), (moment, moment))


@pytest.mark.parametrize("key", sorted(OWNERS))
def test_an_upload_whose_transaction_rolled_back_is_swept_after_a_day(
    key, django_capture_on_commit_callbacks
):
    kept = OWNERS[key]()  # a committed row's file: never swept, however old
    _age(kept.file.storage.location, kept.file.name, days=30)
    before = _stored_names()
    with pytest.raises(Refused):
        _then_fail(OWNERS[key])
    strays = _stored_names() - before
    assert strays, "the rolled-back upload left its file (what the sweep is for)"

    assert sweep_orphan_files() == 0  # younger than the grace period: may still commit
    for location, name in strays:
        _age(location, name, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_orphan_files() == len(strays)
    assert _stored_names() & strays == set()
    assert _path(kept.file).exists()


def test_the_sweep_leaves_files_outside_the_fields_folders(
    settings, django_capture_on_commit_callbacks
):
    outside = Path(settings.MEDIA_ROOT, "exports", "report.csv")
    outside.parent.mkdir(parents=True)
    outside.write_text("kept")
    logo = private_storage().save("library/old-stray.pdf", ContentFile(b"%PDF stray"))
    _age(settings.MEDIA_ROOT, "exports/report.csv", days=10)
    _age(settings.DOBRY_PRIVATE_MEDIA_ROOT, logo, days=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_orphan_files() == 1
    assert outside.exists()
    assert not Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, logo).exists()


def test_the_sweep_refuses_a_field_that_stores_at_the_storage_root(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setattr(file_lifecycle, "field_folder", lambda field: "")
    with pytest.raises(ImproperlyConfigured):
        sweep_orphan_files()


def test_the_sweep_is_a_daily_job():
    from dobry.site.schedule import JOBS

    [job] = [job for job in JOBS if job.name == "sweep_orphan_files"]
    assert job.every == timedelta(days=1)
    assert timedelta(days=1) == file_lifecycle.ORPHAN_GRACE
