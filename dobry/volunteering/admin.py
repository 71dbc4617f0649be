from django.contrib import admin

from dobry.volunteering.models import (
    HoursEntry,
    Qualification,
    VolunteerProfile,
    VolunteerQualification,
)


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "date_of_birth", "parental_consent_at"]
    raw_id_fields = ["user", "parental_consent_recorded_by"]
    search_fields = ["user__email", "user__last_name"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "expires"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(VolunteerQualification)
class VolunteerQualificationAdmin(admin.ModelAdmin):
    list_display = ["user", "qualification", "valid_until"]
    raw_id_fields = ["user"]


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "date", "hours", "status", "source"]
    list_filter = ["status", "source"]
    raw_id_fields = ["user", "registration", "decided_by"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the ledger is never deleted from
