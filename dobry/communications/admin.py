from django.contrib import admin
from django.http import HttpRequest

from dobry.communications.models import NewsItem, Notification, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = ["key", "attempts", "last_error", "sent_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    """Reading only: news is written and moved through its pages (the services check who
    may, sanitise the text and keep the audit log)."""

    list_display = ["title", "publisher", "status", "published_at", "created_at"]
    list_filter = ["status", "publisher", "kind"]
    search_fields = ["title", "lead"]
    raw_id_fields = ["author"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
