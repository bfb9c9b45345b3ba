from django.urls import path

from . import views

app_name = "consultations"

M = "<int:project_pk>/moter"

urlpatterns = [
    path(f"{M}/", views.meetings, name="meetings"),
    path(f"{M}/nytt/", views.meeting_create, name="meeting_create"),
    path(f"{M}/i-ettertid/", views.meeting_record_afterwards, name="meeting_afterwards"),
    path(f"{M}/<int:pk>/", views.meeting, name="meeting"),
    path(f"{M}/<int:pk>/endre/", views.meeting_edit, name="meeting_edit"),
    path(f"{M}/<int:pk>/kall-inn/", views.meeting_call, name="meeting_call"),
    path(f"{M}/<int:pk>/avlys/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{M}/<int:pk>/holdt/", views.meeting_held, name="meeting_held"),
    path(f"{M}/<int:meeting_pk>/saker/ny/", views.item_create, name="item_create"),
    path(f"{M}/<int:meeting_pk>/saker/<int:pk>/", views.item_edit, name="item_edit"),
    path(
        f"{M}/<int:meeting_pk>/saker/<int:pk>/protokolltilforsel/",
        views.entry_add,
        name="entry_add",
    ),
    path(f"{M}/<int:meeting_pk>/protokoll/", views.protocol, name="protocol"),
    path(
        f"{M}/<int:meeting_pk>/protokoll/be-om-retting/",
        views.protocol_correction,
        name="protocol_correction",
    ),
    path(
        f"{M}/<int:meeting_pk>/protokoll/<slug:action>/",
        views.protocol_action,
        name="protocol_action",
    ),
    path(
        f"{M}/<int:meeting_pk>/protokoll/v<int:version>.pdf",
        views.protocol_pdf,
        name="protocol_pdf",
    ),
    path(
        f"{M}/<int:meeting_pk>/saker/<int:pk>/drottet/",
        views.item_placements_consulted,
        name="item_placements_consulted",
    ),
    path(
        "<int:project_pk>/innplasseringer/<int:pk>/beslutt/",
        views.placement_decide,
        name="placement_decide",
    ),
    path("<int:project_pk>/vedlegg/", views.attachments, name="attachments"),
    path("<int:project_pk>/vedlegg/nytt/", views.attachment_add, name="attachment_add"),
    path(
        "<int:project_pk>/vedlegg/<int:pk>/last-ned/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:project_pk>/vedlegg/<int:pk>/fjern/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path(
        f"{M}/<int:meeting_pk>/vedlegg/nytt/",
        views.meeting_attachment_add,
        name="meeting_attachment_add",
    ),
    path("<int:project_pk>/sporsmal/", views.questions, name="questions"),
    path("<int:project_pk>/sporsmal/<int:pk>/svar/", views.question_answer, name="question_answer"),
]
