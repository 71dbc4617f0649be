from django.contrib import admin

from dobry.organizations.models import Invitation, Membership, Organization, OrganizationArea


class AreaInline(admin.TabularInline):
    model = OrganizationArea
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "status", "district", "inn"]
    list_filter = ["kind", "status", "district"]
    search_fields = ["name", "short_name", "inn", "ogrn"]
    inlines = [AreaInline, MembershipInline]
    # The logo is uploaded through the organisation's page or the API, which re-encode it
    # without metadata (`core.uploads.public_image`, issue 11); here it is only shown.
    readonly_fields = ["logo", "reviewed_at", "reviewed_by", "created_at", "updated_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    readonly_fields = ["token"]
