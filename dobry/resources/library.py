"""The НКО library: items with versioned files, search, downloads, FAQ from consultations."""

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.locking import locked
from dobry.core.search import search_words
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, validate_document
from dobry.resources.models import (
    Consultation,
    LibraryCategory,
    LibraryFile,
    LibraryItem,
    LibraryItemQuerySet,
)


def search(items: LibraryItemQuerySet, text: str) -> LibraryItemQuerySet:
    """Full-text search with Russian morphology on PostgreSQL («отчёт» finds «отчётов»);
    a folded substring search on SQLite."""
    text = text.strip()
    if not text:
        return items
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="russian")
            + SearchVector("tags", weight="B", config="russian")
            + SearchVector("description", weight="B", config="russian")
            + SearchVector("body", weight="C", config="russian")
        )
        query = SearchQuery(text, config="russian", search_type="websearch")
        return (
            items.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)
            .order_by("-rank", "-updated_at")
        )
    return search_words(items, text)


def library_item_create(
    *,
    actor: User,
    title: str,
    kind: str,
    category: LibraryCategory | None = None,
    tags: str = "",
    description: str = "",
    body: str = "",
    url: str = "",
    members_only: bool = False,
    file: Upload | None = None,
) -> LibraryItem:
    if kind == LibraryItem.Kind.LINK and not url:
        raise DomainError(
            _("Для ссылки укажите адрес."), field_errors={"url": [_("Для ссылки укажите адрес.")]}
        )
    with transaction.atomic():
        item = LibraryItem(
            title=title.strip(),
            kind=kind,
            category=category,
            tags=tags.strip(),
            description=description.strip(),
            body=body.strip(),
            url=url.strip(),
            members_only=members_only,
            created_by=actor,
        )
        item.full_clean()
        item.save()
        if file is not None:
            library_file_add(actor=actor, item=item, file=file)
        log_action(actor=actor, action="library.create", obj=item)
    return item


def library_file_add(
    *, actor: User, item: LibraryItem, file: Upload, note: str = ""
) -> LibraryFile:
    """Upload a new version of an item's file; older versions stay available."""
    validate_document(file, field="file")
    require_within_limits({"note": (note.strip(), text_limit(LibraryFile, "note"))})
    with transaction.atomic():
        locked = LibraryItem.objects.select_for_update().get(pk=item.pk)
        version = (locked.files.aggregate(v=Max("version"))["v"] or 0) + 1
        stored = LibraryFile.objects.create(
            item=locked,
            version=version,
            file=file,
            original_name=(file.name or "")[:200],
            note=note.strip(),
            uploaded_by=actor,
        )
        locked.save(update_fields=["updated_at", "search_text"])
        log_action(actor=actor, action="library.file", obj=locked, data={"version": version})
    return stored


def library_download_count(*, item: LibraryItem) -> None:
    LibraryItem.objects.filter(pk=item.pk).update(download_count=F("download_count") + 1)


def library_item_from_consultation(
    *, actor: User, consultation: Consultation
) -> tuple[LibraryItem, bool]:
    """Publish a consultation's question and answer as an FAQ item (without names); True
    when the item is new. Publishing again updates the consultation's item: the
    consultation is locked first (`core.locking.locked`), so two publications at once make
    one item, and the unique link to the consultation refuses a second in any case."""
    with locked(Consultation.objects.all(), consultation.pk) as current:
        if current.status != Consultation.Status.CLOSED:
            raise DomainError(_("Опубликовать можно закрытую консультацию."))
        answer = [m.text for m in current.messages.all() if m.author_id != current.asker_id]
        topic = str(current.get_topic_display())
        content = {
            "title": current.subject,
            "tags": topic,
            "description": topic,
            "body": "\n\n".join([*answer, current.summary]).strip(),
        }
        item = LibraryItem.objects.filter(consultation=current).first()
        if item is None:
            item = LibraryItem(kind=LibraryItem.Kind.FAQ, consultation=current, created_by=actor)
        created = item.pk is None
        for name, value in content.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        log_action(
            actor=actor,
            action="library.create" if created else "library.faq_update",
            obj=item,
            data={"consultation": current.pk},
        )
    return item, created
