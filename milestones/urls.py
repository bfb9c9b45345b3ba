from django.urls import path

from . import views

app_name = "milestones"

urlpatterns = [
    path("<int:project_pk>/fremdrift/", views.plan, name="plan"),
    path("<int:project_pk>/fremdrift/milepaeler/", views.milestone_list, name="list"),
    path("<int:project_pk>/fremdrift/milepaeler/ny/", views.milestone_create, name="create"),
    path("<int:project_pk>/fremdrift/milepaeler/importer/", views.milestone_import, name="import"),
    path("<int:project_pk>/fremdrift/milepaeler/<int:pk>/", views.milestone_edit, name="edit"),
    path(
        "<int:project_pk>/fremdrift/milepaeler/<int:pk>/status/",
        views.milestone_status,
        name="status",
    ),
    path(
        "<int:project_pk>/fremdrift/milepaeler/<int:pk>/slett/",
        views.milestone_delete,
        name="delete",
    ),
    path("<int:project_pk>/fremdrift/aktiviteter/", views.activity_list, name="activities"),
    path(
        "<int:project_pk>/fremdrift/aktiviteter/<int:pk>/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "<int:project_pk>/fremdrift/aktiviteter/<int:pk>/status/",
        views.activity_status,
        name="activity_status",
    ),
    path(
        "<int:project_pk>/fremdrift/aktiviteter/<int:pk>/slett/",
        views.activity_delete,
        name="activity_delete",
    ),
]
