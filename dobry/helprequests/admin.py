from django.contrib import admin

from dobry.helprequests.models import HelpOffer, HelpRequest, Programme, ProgrammeRecord


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "category", "starts_on", "ends_on", "is_active"]
    list_filter = ["category", "is_active"]


@admin.register(ProgrammeRecord)
class ProgrammeRecordAdmin(admin.ModelAdmin):
    list_display = ["programme", "month", "people", "first_time", "recorded_by", "updated_at"]
    list_filter = ["month"]
    raw_id_fields = ["programme", "recorded_by"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    """Health data (HealthInfo) has no admin: it is read only through the audited page."""

    list_display = ["summary", "category", "status", "priority", "district", "created_at"]
    list_filter = ["status", "category", "priority"]
    readonly_fields = ["has_health_info", "has_consent_scan"]
    raw_id_fields = ["requester", "programme", "possible_duplicate_of", "parent"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Requests are minimised, never deleted (the statistics stay); a deletion would also
        # cascade to the health row past `services.private_data.health_info_delete`, leaving its scan.
        return False


@admin.register(HelpOffer)
class HelpOfferAdmin(admin.ModelAdmin):
    list_display = ["request", "volunteer", "status", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["request", "volunteer", "offered_by"]
