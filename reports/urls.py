from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:project_pk>/beslutninger/", views.decisions, name="decisions"),
    path(
        "<int:project_pk>/beslutninger/<int:pk>/vedtak/",
        views.decision_record,
        name="decision_record",
    ),
    path("<int:project_pk>/", views.overview, name="overview"),
    path("<int:project_pk>/mandat.pdf", views.mandate_pdf, name="mandate_pdf"),
    path(
        "<int:project_pk>/mandat/v<int:number>.pdf",
        views.mandate_version_pdf,
        name="mandate_version_pdf",
    ),
]
