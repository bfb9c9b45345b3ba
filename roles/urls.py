from django.urls import path

from . import views

app_name = "roles"

ORG = "<int:project_pk>/organisasjon"
STAFF = "<int:project_pk>/bemanning"

urlpatterns = [
    path(f"{ORG}/", views.organisation, name="organisation"),
    path(f"{ORG}/<slug:structure>/ny/", views.unit_create, name="unit_create"),
    path(f"{ORG}/enheter/<int:pk>/", views.unit_edit, name="unit_edit"),
    path(f"{ORG}/enheter/<int:pk>/slett/", views.unit_delete, name="unit_delete"),
    path(f"{ORG}/importer/", views.units_import, name="units_import"),
    path(f"{ORG}/stillinger/", views.positions, name="positions"),
    path(f"{ORG}/stillinger/<int:pk>/", views.position_edit, name="position_edit"),
    path(f"{ORG}/stillinger/<int:pk>/slett/", views.position_delete, name="position_delete"),
    path(
        f"{ORG}/stillinger/<int:position_pk>/rollebeskrivelse/",
        views.role_description,
        name="role_description",
    ),
    path(
        f"{ORG}/stillinger/<int:position_pk>/rollebeskrivelse/rediger/",
        views.role_description_edit,
        name="role_description_edit",
    ),
    path(
        f"{ORG}/stillinger/<int:position_pk>/rollebeskrivelse.pdf",
        views.role_description_pdf,
        name="role_description_pdf",
    ),
    path(
        f"{ORG}/enheter/<int:unit_pk>/rollebeskrivelser.pdf",
        views.unit_role_descriptions_pdf,
        name="unit_role_descriptions_pdf",
    ),
    path(f"{STAFF}/", views.staffing, name="staffing"),
    path(f"{STAFF}/bemanningsplan.xlsx", views.staffing_export, name="staffing_export"),
    path(f"{STAFF}/ansatte/", views.employees, name="employees"),
    path(f"{STAFF}/ansatte/importer/", views.employees_import, name="employees_import"),
    path(f"{STAFF}/ansatte/<int:pk>/", views.employee, name="employee"),
    path(f"{STAFF}/ansatte/<int:pk>/rediger/", views.employee_edit, name="employee_edit"),
    path(
        f"{STAFF}/ansatte/<int:employee_pk>/samtaler/ny/",
        views.interview_create,
        name="interview_create",
    ),
    path(
        f"{STAFF}/ansatte/<int:employee_pk>/samtaler/<int:pk>/",
        views.interview_edit,
        name="interview_edit",
    ),
    path(
        f"{STAFF}/ansatte/<int:employee_pk>/innplassering/ny/",
        views.placement_create,
        name="placement_create",
    ),
    path(f"{STAFF}/innplasseringer/", views.placements, name="placements"),
    path(f"{STAFF}/innsynslogg/", views.access_log_page, name="access_log"),
    path(f"{STAFF}/personvern/", views.processing, name="processing"),
    path(f"{STAFF}/ansatte/<int:pk>/anonymiser/", views.employee_erase, name="employee_erase"),
    path(
        f"{STAFF}/ansatte/<int:pk>/innsyn.<slug:kind>",
        views.access_request,
        name="access_request",
    ),
    path("<int:project_pk>/medlemmer/<int:pk>/innsyn/", views.insight, name="insight"),
    path(
        f"{STAFF}/innplasseringer/<int:pk>/status/",
        views.placement_status,
        name="placement_status",
    ),
]
