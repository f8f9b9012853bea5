from django.urls import path

from partnerships import export_views, risk_views

app_name = "risks"

urlpatterns = [
    path("", risk_views.index, name="index"),
    path("export.csv", export_views.risks_csv, name="export_csv"),
    path("export.xlsx", export_views.risks_xlsx, name="export_xlsx"),
]
