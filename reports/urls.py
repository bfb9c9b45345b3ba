from django.urls import path

from . import closeout_views, reuse_views, views

app_name = "reports"

urlpatterns = [
    path("nytt/", reuse_views.project_create, name="project_create"),
    path("maler/", reuse_views.templates, name="templates"),
    path("maler/<int:pk>/slett/", reuse_views.template_delete, name="template_delete"),
    path("<int:project_pk>/lagre-som-mal/", reuse_views.template_save, name="template_save"),
    path("styring/", views.dashboard, name="dashboard"),
    path("styring/eksport.xlsx", views.dashboard_export, name="dashboard-export"),
    path("styring/tidslinje/", views.dashboard_timeline, name="dashboard-timeline"),
    path("styring/<int:project_pk>/", views.dashboard_project, name="dashboard-project"),
    path("<int:project_pk>/statusrapporter/", views.reports, name="reports"),
    path("<int:project_pk>/statusrapporter/ny/", views.report_create, name="report_create"),
    path("<int:project_pk>/statusrapporter/<int:number>/", views.report, name="report"),
    path(
        "<int:project_pk>/statusrapporter/<int:number>/hent-tall/",
        views.report_refresh,
        name="report_refresh",
    ),
    path(
        "<int:project_pk>/statusrapporter/<int:number>/publiser/",
        views.report_publish,
        name="report_publish",
    ),
    path(
        "<int:project_pk>/statusrapporter/<int:number>/statusrapport.pdf",
        views.report_pdf,
        name="report_pdf",
    ),
    path(
        "<int:project_pk>/statusrapporter/<int:number>/beslutningssak/",
        views.report_decision_request,
        name="report_decision_request",
    ),
    path(
        "<int:project_pk>/statusrapporter/<int:number>/gevinstmaling/",
        views.report_benefit_measurement,
        name="report_benefit_measurement",
    ),
    path("<int:project_pk>/beslutninger/", views.decisions, name="decisions"),
    path(
        "<int:project_pk>/beslutninger/<int:pk>/vedtak/",
        views.decision_record,
        name="decision_record",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/faseovergang/",
        views.phase_gate,
        name="phase_gate",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/faseovergang/send/",
        views.phase_gate_submit,
        name="phase_gate_submit",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/faseovergang/godkjenn/",
        views.phase_gate_approve,
        name="phase_gate_approve",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/faseovergang/tilbake/",
        views.phase_gate_return,
        name="phase_gate_return",
    ),
    path("<int:project_pk>/", views.overview, name="overview"),
    path("<int:project_pk>/sluttrapport/", closeout_views.final_report, name="final_report"),
    path(
        "<int:project_pk>/sluttrapport/publiser/",
        closeout_views.final_report_publish,
        name="final_report_publish",
    ),
    path(
        "<int:project_pk>/sluttrapport/sluttrapport.pdf",
        closeout_views.final_report_pdf,
        name="final_report_pdf",
    ),
    path("<int:project_pk>/kalender/", views.calendar, name="calendar"),
    # The secret link a calendar app subscribes to; no login, the token is the key.
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<int:project_pk>/mandat/", views.mandate, name="mandate"),
    path("<int:project_pk>/mandat/beslutt/", views.decide_mandate, name="decide_mandate"),
    path("<int:project_pk>/mandat/send/", views.mandate_submit, name="mandate_submit"),
    path("<int:project_pk>/mandat/tilbake/", views.mandate_return, name="mandate_return"),
    path("<int:project_pk>/mandat/sammenlign/", views.mandate_compare, name="mandate_compare"),
    path("<int:project_pk>/endringslogg/", views.changelog, name="changelog"),
    path("<int:project_pk>/arkiv/", views.archive, name="archive"),
    path(
        "<int:project_pk>/arkiv/arkivuttrekk.zip", views.archive_download, name="archive_download"
    ),
    path("<int:project_pk>/mandat.pdf", views.mandate_pdf, name="mandate_pdf"),
    path(
        "<int:project_pk>/mandat/v<int:number>.pdf",
        views.mandate_version_pdf,
        name="mandate_version_pdf",
    ),
]
