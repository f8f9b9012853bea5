from django.urls import path

from register import export_views, import_views, pack_views, views

app_name = "register"

urlpatterns = [
    path("", views.index, name="index"),
    path("work/", views.work, name="work"),
    path("export.csv", export_views.register_csv, name="export_csv"),
    path("export.xlsx", export_views.register_xlsx, name="export_xlsx"),
    path("import/", import_views.start, name="import"),
    path("import/check/", import_views.preview, name="import_preview"),
    path("import/confirm/", import_views.confirm, name="import_confirm"),
    path("import/template.xlsx", import_views.template, name="import_template"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/pdf/", views.dashboard_pdf, name="dashboard_pdf"),
    path("packs/", pack_views.index, name="packs"),
    path("packs/new/", pack_views.new, name="pack_new"),
    path("packs/<int:pk>/", pack_views.detail, name="pack"),
    path("packs/<int:pk>/progress/", pack_views.progress, name="pack_progress"),
    path("packs/<int:pk>/download/", pack_views.download, name="pack_download"),
    path("packs/<int:pk>/cancel/", pack_views.cancel, name="pack_cancel"),
    path("packs/<int:pk>/delete/", pack_views.delete, name="pack_delete"),
]
