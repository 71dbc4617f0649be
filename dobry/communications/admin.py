from django.contrib import admin

from dobry.communications.models import Notification, OutboundEmail


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
