from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "head_name", "valid_from", "valid_to", "is_sample")
    list_filter = ("kind", "is_sample")
    search_fields = ("name", "short_name", "code", "name_folded")
    autocomplete_fields = ("parent", "successor")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "email", "organisation", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("pciplan", {"fields": ("full_name", "job_title", "organisation", "role", "coordinator_function", "is_sample")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "full_name", "organisation", "role",
                                                 "password1", "password2")}),
    )
