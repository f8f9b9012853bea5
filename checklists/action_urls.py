from django.urls import path

from checklists import action_views, export_views

app_name = "actions"

urlpatterns = [
    path("", action_views.index, name="index"),
    path("export.csv", export_views.actions_csv, name="export_csv"),
    path("export.xlsx", export_views.actions_xlsx, name="export_xlsx"),
    path("<int:pk>/edit/", action_views.edit, name="edit"),
]
