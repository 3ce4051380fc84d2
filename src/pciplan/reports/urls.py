from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ky/<int:period_id>/", views.period_board, name="period"),
    path("ky/<int:period_id>/theo-doi.xlsx", views.board_xlsx, name="board_xlsx"),
    path("ky/<int:period_id>/lap/<int:unit_id>/", views.report_start, name="start"),
    path("ky/<int:period_id>/nhac/<int:unit_id>/", views.remind, name="remind"),
    path("ky/<int:period_id>/tong-hop/", views.consolidated_edit, name="consolidated"),
    path("ky/<int:period_id>/tong-hop/xem/", views.consolidated_preview, name="consolidated_preview"),
    path("ky/<int:period_id>/tong-hop/lap-lai/", views.consolidated_rebuild, name="consolidated_rebuild"),
    path("ky/<int:period_id>/tong-hop/bao-cao.docx", views.consolidated_docx, name="consolidated_docx"),
    path("ky/<int:period_id>/tong-hop/phu-luc.xlsx", views.consolidated_annex, name="consolidated_annex"),
    path("<int:report_id>/", views.report_detail, name="report"),
    path("<int:report_id>/luu/", views.report_save, name="save"),
    path("<int:report_id>/y-kien/<slug:decision>/", views.report_review, name="review"),
    path("<int:report_id>/lan-gui/<int:number>/", views.version_detail, name="version"),
    path("<int:report_id>/lich-su/", views.report_history, name="history"),
    path("<int:report_id>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("<int:report_id>/bao-cao.xlsx", views.report_workbook, name="workbook"),
    path("<int:report_id>/nhap-excel/", views.report_import, name="import"),
    path("<int:report_id>/nhap-excel/xac-nhan/", views.report_import_confirm, name="import_confirm"),
    path("minh-chung/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:evidence_id>/xoa/", views.evidence_delete, name="evidence_delete"),
    path("lich/", views.calendar_page, name="calendar"),
    path("lich/<int:unit_id>/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
