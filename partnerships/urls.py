from django.urls import path

from partnerships import risk_views, views

app_name = "partnerships"

urlpatterns = [
    path("new/", views.screening, name="screening"),
    path("tree/", views.tree, name="tree"),
    path("new/details/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.profile_pdf, name="pdf"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/partners/", views.partners, name="partners"),
    path("<int:pk>/partners/<int:member_pk>/remove/", views.partner_remove, name="partner_remove"),
    path("<int:pk>/partners/new-organisation/", views.organisation_new, name="organisation_new"),
    path("<int:pk>/risks/new/", risk_views.new, name="risk_new"),
    path("<int:pk>/risks/<int:risk_pk>/edit/", risk_views.edit, name="risk_edit"),
]
