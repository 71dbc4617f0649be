from django.contrib import admin

from dobry.grants.models import (
    AllocationRun,
    Application,
    CommissionMember,
    Competition,
    Criterion,
    Expert,
    Meeting,
    Review,
    WorkCalendarDay,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "applications_open", "applications_close", "budget"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    filter_horizontal = ["managers"]
    inlines = [CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "competition", "organization", "status", "score"]
    list_filter = ["status", "competition"]
    search_fields = ["number", "title", "organization__name"]
    raw_id_fields = ["applicant", "organization"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["user", "competition", "sector", "is_active"]
    list_filter = ["sector", "competition"]
    raw_id_fields = ["user"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "expert", "status", "total", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["application", "expert"]


class MemberInline(admin.TabularInline):
    model = CommissionMember
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["competition", "held_at", "quorum", "decision"]
    inlines = [MemberInline]


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ["competition", "final", "rule", "created_at"]
    list_filter = ["final"]


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(admin.ModelAdmin):
    """The government's transfers of days off (the desk page «Производственный календарь»
    does the same with an audit entry; here for bulk corrections)."""

    list_display = ["day", "working", "note", "updated_at"]
    list_filter = ["working"]
    date_hierarchy = "day"
    readonly_fields = ["updated_by", "updated_at"]
