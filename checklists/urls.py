from django.urls import path

from checklists import export_views, views

app_name = "checklists"

urlpatterns = [
    path("start/<int:partnership_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/export.csv", export_views.assessment_csv, name="export_csv"),
    path("<int:pk>/export.xlsx", export_views.assessment_xlsx, name="export_xlsx"),
    path("<int:pk>/sections/<int:number>/", views.section, name="section"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_to_draft, name="return"),
]
