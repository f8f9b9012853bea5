from django.urls import path

from checklists import action_views

app_name = "actions"

urlpatterns = [
    path("", action_views.index, name="index"),
    path("<int:pk>/edit/", action_views.edit, name="edit"),
]
