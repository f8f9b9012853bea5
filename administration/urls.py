from django.urls import path

from administration import assurance, council_views, reference_views, views
from administration.reference_data import ORGANISATIONS, THEMES

app_name = "manage"

urlpatterns = [
    path("", views.index, name="index"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/new/check/", views.person_check, name="person_check"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/added/", views.person_added, name="person_added"),
    path("people/<int:pk>/change/", views.person_change, name="person_change"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<int:pk>/lift/", views.lockout_lift, name="lockout_lift"),
    path("councils/<int:pk>/assurance/", assurance.council_assurance, name="council_assurance"),
    path("councils/", council_views.councils, name="councils"),
    path("councils/new/", council_views.council_new, name="council_new"),
    path("councils/<int:pk>/", council_views.council, name="council"),
    path("councils/<int:pk>/rename/", council_views.council_rename, name="council_rename"),
    path("organisations/", reference_views.reference_list, {"kind": ORGANISATIONS}, name="organisations"),
    path("organisations/<int:pk>/merge/", reference_views.merge, {"kind": ORGANISATIONS},
         name="organisation_merge"),
    path("organisations/<int:pk>/merge/check/", reference_views.merge_check, {"kind": ORGANISATIONS},
         name="organisation_merge_check"),
    path("themes/", reference_views.reference_list, {"kind": THEMES}, name="themes"),
    path("themes/<int:pk>/merge/", reference_views.merge, {"kind": THEMES}, name="theme_merge"),
    path("themes/<int:pk>/merge/check/", reference_views.merge_check, {"kind": THEMES}, name="theme_merge_check"),
]
