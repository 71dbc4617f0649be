from django.contrib import admin

from dobry.resources.models import (
    Consultation,
    ConsultationMessage,
    Decision,
    GroupMember,
    GroupTask,
    LibraryCategory,
    LibraryFile,
    LibraryItem,
    Meeting,
    ProjectGroup,
    Room,
    RoomBooking,
    SupportRecord,
)


@admin.register(SupportRecord)
class SupportRecordAdmin(admin.ModelAdmin):
    list_display = ["date", "organization", "person", "kind", "giver", "value_rub", "source_kind"]
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


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "capacity", "opens_at", "closes_at", "is_active"]


@admin.register(RoomBooking)
class RoomBookingAdmin(admin.ModelAdmin):
    list_display = ["room", "organization", "starts_at", "ends_at", "status"]
    list_filter = ["status", "room"]
    raw_id_fields = ["booked_by", "organization"]


@admin.register(LibraryCategory)
class LibraryCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class LibraryFileInline(admin.TabularInline):
    model = LibraryFile
    extra = 0
    readonly_fields = ["version", "uploaded_at"]


@admin.register(LibraryItem)
class LibraryItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "category", "members_only", "published", "download_count"]
    list_filter = ["kind", "category", "members_only", "published"]
    search_fields = ["title", "tags"]
    inlines = [LibraryFileInline]


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    raw_id_fields = ["user", "organization"]


@admin.register(ProjectGroup)
class ProjectGroupAdmin(admin.ModelAdmin):
    list_display = ["title", "is_active", "created_at"]
    inlines = [GroupMemberInline]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "place"]
    inlines = [DecisionInline]


@admin.register(GroupTask)
class GroupTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_on", "done_at"]
    raw_id_fields = ["owner", "decision"]
