from django.contrib import admin

from dobry.events.models import Event, Registration, Shift


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "starts_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    inlines = [ShiftInline]
    # The cover is uploaded through the event's page or the API, which re-encode it without
    # metadata (`core.uploads.public_image`, issue 11); here it is only shown.
    readonly_fields = ["cover"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "shift", "status", "seats", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "shift"]
    readonly_fields = ["code"]
