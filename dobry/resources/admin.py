from django.contrib import admin

from dobry.resources.models import Consultation, ConsultationMessage, SupportRecord


@admin.register(SupportRecord)
class SupportRecordAdmin(admin.ModelAdmin):
    list_display = ["date", "organization", "person", "kind", "giver", "value_rub", "source_type"]
    list_filter = ["kind", "giver"]
    search_fields = ["description", "organization__name"]
    raw_id_fields = ["organization", "person", "created_by"]


class MessageInline(admin.TabularInline):
    model = ConsultationMessage
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "topic",
        "status",
        "channel",
        "organization",
        "consultant",
        "created_at",
        "rating",
    ]
    list_filter = ["topic", "status", "channel"]
    raw_id_fields = ["asker", "organization", "consultant"]
    inlines = [MessageInline]
