from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dobry.accounts.models import ApiToken, ConsentDocument, ConsentRecord, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "is_coordinator",
        "is_expert",
        "is_official",
        "is_superuser",
        "is_active",
    ]
    list_filter = ["is_coordinator", "is_expert", "is_official", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Личные данные"), {"fields": ("first_name", "last_name", "middle_name", "phone")}),
        (_("Роли"), {"fields": ("is_coordinator", "is_expert", "is_official")}),
        (
            _("Доступ"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Даты"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["erased_at"]


@admin.register(ConsentDocument)
class ConsentDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "title", "published_at"]
    list_filter = ["kind"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "document", "accepted_at", "ip_address", "withdrawn_at"]
    list_filter = ["document__kind"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # evidence of consent is never edited


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "name",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = ["token_hash", "hint"]
    raw_id_fields = ["user"]
