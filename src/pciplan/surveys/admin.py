"""Administrators see surveys read-only: answers are anonymous and changed only through the services."""

from django.contrib import admin

from .models import Instrument, Survey


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "code", "version", "owner", "is_template")


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "year", "status", "is_synthetic")
    list_filter = ("status", "year")
