"""The НКО library: items with versioned files, search, downloads, FAQ from consultations."""

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core import public_text
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.locking import locked
from dobry.core.search import search_words
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, validate_document
from dobry.resources import permissions
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
            note=note.strip(),
            uploaded_by=actor,
        )
        locked.save(update_fields=["updated_at", "search_text"])
        log_action(actor=actor, action="library.file", obj=locked, data={"version": version})
    return stored


def library_download_count(*, item: LibraryItem) -> None:
    LibraryItem.objects.filter(pk=item.pk).update(download_count=F("download_count") + 1)


def faq_names(consultation: Consultation) -> list[str]:
    """The names a question and answer made from the consultation must not carry beside
    any name's shape: the asker's, found in any case ending by `core.public_text`."""
    asker = consultation.asker
    if asker is None:
        return []
    return [n for n in (asker.first_name, asker.last_name, asker.middle_name) if n]


def faq_draft(consultation: Consultation) -> dict[str, str]:
    """What the coordinator starts from on the edit step: the published item's text when
    there is one, else the subject and the consultant's answers with the summary (never
    the asker's own messages). Shape: {"title": str, "body": str}."""
    item = LibraryItem.objects.filter(consultation=consultation).first()
    if item is not None:
        return {"title": item.title, "body": item.body}
    answer = [m.text for m in consultation.messages.all() if m.author_id != consultation.asker_id]
    return {
        "title": consultation.subject,
        "body": "\n\n".join([*answer, consultation.summary]).strip(),
    }


def _faq_check(consultation: Consultation, title: str, body: str) -> None:
    """The published text carries no personal data (`core.public_text`, the check of help
    requests' public summaries): raises DomainError naming what to remove, per field."""
    names = faq_names(consultation)
    errors = {}
    for field, text in (("title", title), ("body", body)):
        if found := public_text.personal_data_found(text, names):
            errors[field] = [
                _("Этот текст увидят все: уберите из него %(what)s.")
                % {"what": public_text.personal_data_labels(found)}
            ]
    if errors:
        raise DomainError(
            _("В вопросе и ответе остались персональные данные."), field_errors=errors
        )


def library_item_from_consultation(
    *, actor: User, consultation: Consultation, title: str, body: str
) -> tuple[LibraryItem, bool]:
    """Publish a consultation's question and answer as an FAQ item, in the text the
    coordinator edited from `faq_draft`; True when the item is new. Refused (DomainError
    with field errors) while the title or the body carries a name, an address, a phone, an
    email or a profile link (`_faq_check`), and for a consultation not closed yet.
    Publishing again updates the consultation's item: the consultation is locked first
    (`core.locking.locked`), so two publications at once make one item, and the unique
    link to the consultation refuses a second in any case."""
    title, body = title.strip(), body.strip()
    require_within_limits(
        {
            "title": (title, text_limit(LibraryItem, "title")),
            "body": (body, text_limit(LibraryItem, "body")),
        }
    )
    if not title:
        raise DomainError(_("Напишите вопрос."), field_errors={"title": [_("Обязательное поле.")]})
    with locked(Consultation.objects.all(), consultation.pk) as current:
        if not (decision := permissions.can_publish_faq(actor, current)):
            raise DomainError(str(decision.reason))
        _faq_check(current, title, body)
        topic = str(current.get_topic_display())
        content = {"title": title, "tags": topic, "description": topic, "body": body}
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
