import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone

from pciplan.audit.services import audit_record

from . import personal_data, totp
from .models import PersonalDataRequest, SignInEvent, SignInThrottle, TotpDevice


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "user", "ip", "outcome")
    list_filter = ("outcome",)
    search_fields = ("username", "ip")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    """Deleting a row lifts a lock at once."""

    list_display = ("key", "failures", "window_start", "locked_until")
    search_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "confirmed_at")
    search_fields = ("user__username", "user__full_name")
    exclude = ("secret", "last_step")
    actions = ["reset"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Tắt xác thực hai bước (mất điện thoại)")
    def reset(self, request, queryset):
        for device in queryset.select_related("user"):
            totp.disable(actor=request.user, user=device.user)
        messages.success(request, "Đã tắt xác thực hai bước cho các tài khoản đã chọn.")


def _subject(req: PersonalDataRequest) -> personal_data.DataSubject:
    return personal_data.DataSubject(user=req.user, email=req.email or (req.user.email if req.user else ""),
                                     phone=req.phone)


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    list_display = ("received_on", "kind", "user", "email", "phone", "status", "served_at")
    list_filter = ("kind", "status")
    search_fields = ("email", "phone", "user__username", "user__full_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("served_at", "served_by", "outcome")
    actions = ["export_data", "erase_data"]

    def has_delete_permission(self, request, obj=None):
        return False  # requests are evidence

    @admin.action(description="Xuất dữ liệu cá nhân (JSON) cho yêu cầu xem")
    def export_data(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, "Chọn đúng một yêu cầu.")
            return None
        req = queryset.get()
        data = personal_data.collect(_subject(req))
        req.status, req.served_at, req.served_by = PersonalDataRequest.Status.SERVED, timezone.now(), request.user
        req.outcome = {"exported": sorted(k for k in data if k != "generated_at")}
        req.save()
        audit_record(actor=request.user, obj=req, action="export", message="Cung cấp bản sao dữ liệu cá nhân")
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{req.pk}.json"'
        return response

    @admin.action(description="Xóa dữ liệu cá nhân cho yêu cầu xóa")
    def erase_data(self, request, queryset):
        for req in queryset.filter(kind=PersonalDataRequest.Kind.ERASURE, status=PersonalDataRequest.Status.OPEN):
            counts = personal_data.erase(_subject(req))
            req.status, req.served_at, req.served_by = PersonalDataRequest.Status.SERVED, timezone.now(), request.user
            req.outcome = {"erased": counts}
            req.save()
            audit_record(actor=request.user, obj=req, action="delete", message="Xóa dữ liệu cá nhân theo yêu cầu",
                         after={"erased": counts})
        messages.success(request, "Đã thực hiện các yêu cầu xóa đang mở.")
