# FAQ items published from a consultation before the link existed (0005) name no source:
# publishing that consultation again made a second item instead of updating the first. Link
# each such item to its consultation where the item itself proves where it came from.
#
# The old publication stored nothing but the text (no id, and its audit entry named only the
# item), so the proof is the text it wrote: the item's title is the consultation's subject
# and its body the consultation's answers and summary joined as publishing joins them
# (`resources.library.library_item_from_consultation`). Left unlinked, on purpose: an item
# edited since (its text no longer proves anything), a text that more than one consultation
# would have written, an empty body, and the copies of a consultation published twice — only
# its latest item gets the link (a consultation has one item), the others stay as they are
# for the library's editors to remove. Going back leaves the links: 0005's field holds them.

from django.db import migrations


def _published_text(consultation, messages) -> str:
    answers = [m.text for m in messages if m.author_id != consultation.asker_id]
    return "\n\n".join([*answers, consultation.summary]).strip()


def link_old_faq_items(apps, schema_editor):
    LibraryItem = apps.get_model("resources", "LibraryItem")
    Consultation = apps.get_model("resources", "Consultation")
    ConsultationMessage = apps.get_model("resources", "ConsultationMessage")
    items = LibraryItem.objects.filter(kind="faq", consultation__isnull=True).exclude(body="")
    titles = set(items.values_list("title", flat=True))
    if not titles:
        return
    free = Consultation.objects.filter(subject__in=titles, faq_item__isnull=True)
    texts: dict[tuple[str, str], list[int]] = {}
    for consultation in free.order_by("pk"):
        messages = ConsultationMessage.objects.filter(consultation=consultation).order_by(
            "created_at", "pk"
        )
        key = (consultation.subject.strip(), _published_text(consultation, messages))
        texts.setdefault(key, []).append(consultation.pk)
    for item in items.order_by("-created_at", "-pk"):  # the latest copy first
        found = texts.get((item.title, item.body), [])
        if len(found) != 1:
            continue
        updated = LibraryItem.objects.filter(pk=item.pk).update(consultation_id=found[0])
        if updated:
            found.clear()  # the consultation's one item is taken: older copies stay unlinked


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0007_support_record_made_from"),
    ]

    operations = [
        migrations.RunPython(link_old_faq_items, migrations.RunPython.noop, elidable=True),
    ]
