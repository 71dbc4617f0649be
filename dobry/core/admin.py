from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from dobry.core.audit import action_label, describe, object_names
from dobry.core.models import AuditEntry, District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The journal in words, like the coordinators' page (core/audit.py describes it)."""

    list_display = ["created_at", "actor", "action_name", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]
    fields = (
        "created_at",
        "actor",
        "action_name",
        "object_type",
        "object_id",
        "object_name",
        "details",
    )
    readonly_fields = fields

    @admin.display(description=_("действие"), ordering="action")
    def action_name(self, entry: AuditEntry) -> str:
        return action_label(entry.action)

    @admin.display(description=_("объект"))
    def object_name(self, entry: AuditEntry) -> str:
        return object_names([entry])[(entry.object_type, entry.object_id)]

    @admin.display(description=_("данные"))
    def details(self, entry: AuditEntry) -> SafeString:
        [described] = describe([entry])
        return format_html_join(mark_safe("<br>"), "{}: {}", described.lines)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
