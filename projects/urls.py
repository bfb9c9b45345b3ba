from django.urls import path

from . import benefit_views, lesson_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("gevinster/", benefit_views.overview, name="benefits_overview"),
    path("gevinster/<int:pk>/", benefit_views.benefit, name="benefit"),
    path("gevinster/<int:pk>/maling/", benefit_views.benefit_measure, name="benefit_measure"),
    path("gevinster/<int:pk>/plan/", benefit_views.benefit_plan, name="benefit_plan"),
    path("<int:project_pk>/gevinster/", benefit_views.project_benefits, name="project_benefits"),
    path("erfaringer/", lesson_views.lessons, name="lessons"),
    path("<int:project_pk>/erfaringer/", lesson_views.project_lessons, name="project_lessons"),
    path("<int:project_pk>/mandat/<slug:slug>/", views.mandate_section, name="mandate_section"),
    path("<int:project_pk>/faser/", views.phases, name="phases"),
    path("<int:project_pk>/faser/<int:pk>/", views.phase_edit, name="phase_edit"),
    path("<int:project_pk>/faser/<int:pk>/slett/", views.phase_delete, name="phase_delete"),
    path("<int:project_pk>/faser/<int:phase_pk>/start/", views.phase_start, name="phase_start"),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/kriterier/",
        views.criterion_add,
        name="criterion_add",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/kriterier/<int:pk>/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/kriterier/<int:pk>/slett/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path(
        "<int:project_pk>/faser/<int:phase_pk>/kriterier/<int:pk>/kryss/",
        views.criterion_tick,
        name="criterion_tick",
    ),
    path("<int:project_pk>/arbeidsstrommer/", views.workstreams, name="workstreams"),
    path("<int:project_pk>/arbeidsstrommer/<int:pk>/", views.workstream, name="workstream"),
    path("<int:project_pk>/arbeidsstrommer/<int:pk>/forslag/", views.option_add, name="option_add"),
    path(
        "<int:project_pk>/arbeidsstrommer/<int:pk>/forslag/<int:option_pk>/",
        views.option_edit,
        name="option_edit",
    ),
    path(
        "<int:project_pk>/arbeidsstrommer/<int:pk>/forslag/<int:option_pk>/slett/",
        views.option_delete,
        name="option_delete",
    ),
    path("<int:project_pk>/risiko/", views.risks, name="risks"),
    path("<int:project_pk>/risiko/<int:pk>/", views.risk_edit, name="risk_edit"),
    path("<int:project_pk>/risiko/<int:pk>/slett/", views.risk_delete, name="risk_delete"),
    path("<int:project_pk>/medlemmer/", views.members, name="members"),
    path("<int:project_pk>/medlemmer/<int:pk>/fjern/", views.member_remove, name="member_remove"),
]
