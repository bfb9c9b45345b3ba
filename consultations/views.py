"""Thin views: check through projects.permissions, validate a form, call a service, render.

Owner and leader run meetings (RUN_MEETINGS) and see them all; everyone else sees the meetings
they are invited to (Meeting.objects.visible_to, in SQL): another meeting answers 404. On an
agenda item only what the viewer may see is shown: placements need VIEW_PERSONAL_DATA."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.forms import errors_as_message, errors_on_form, form_errors, model_choice_field
from core.pdf import frozen_pdf_download, pdf_download
from milestones.models import today
from projects.permissions import (
    ANSWER_QUESTIONS,
    CHANGE_PLAN,
    MANAGE_PERSONNEL,
    RUN_MEETINGS,
    VIEW_PERSONAL_DATA,
    no_store,
    own_workstream_ids,
    personal_data_view,
    project_view,
    require,
)
from roles import access_log
from roles.models import PersonalDataAccess, Placement

from . import documents, gate, services
from .forms import (
    AgendaItemForm,
    AnswerForm,
    AttachmentForm,
    CorrectionForm,
    EntryForm,
    HeldForm,
    MeetingForm,
    PlacementDecisionForm,
    QuestionForm,
)
from .models import AgendaItem, Attachment, Meeting, Participant, Protocol, Question

Purpose = PersonalDataAccess.Purpose


def _meeting_for(request, project, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user, project), pk=pk)


# --- Meetings ---------------------------------------------------------------------------------


@project_view()
def meetings(request, project):
    items = (
        Meeting.objects.visible_to(request.user, project)
        .annotate(
            item_count=Count("items", distinct=True),
            invited=Count("participants", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    context = {"project": project, "meetings": items, "can_run": RUN_MEETINGS in project.perms}
    return render(request, "consultations/meetings.html", context)


@project_view(RUN_MEETINGS)
def meeting_create(request, project):
    return _meeting_form(request, project, None)


@project_view(RUN_MEETINGS)
def meeting_edit(request, project, pk):
    return _meeting_form(request, project, get_object_or_404(Meeting, project=project, pk=pk))


def _meeting_form(request, project, meeting):
    form = MeetingForm(request.POST or None, instance=meeting, project=project)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            saved = services.save_meeting(
                meeting=form.save(commit=False), participants=form.participants, by=request.user
            )
            message = (
                _("Møtet er lagret. Deltakerne får en oppdatert innkalling.")
                if saved.called_at
                else _("Møtet er lagret.")
            )
            messages.success(request, message)
            return redirect("consultations:meeting", project.pk, saved.pk)
    context = {"project": project, "form": form, "meeting": meeting}
    return render(request, "consultations/meeting_form.html", context)


@project_view()
def meeting(request, project, pk):
    item = _meeting_for(request, project, pk)
    sees_personal_data = VIEW_PERSONAL_DATA in project.perms
    links: list[str | Prefetch] = ["milestones", "units", "role_descriptions__position"]
    if sees_personal_data:
        links.append(
            Prefetch(
                "placements",
                queryset=_placements_with_names(),
            )
        )
    agenda = list(
        item.items.select_related("concerns_phase").prefetch_related(*links, "entries__author")
    )
    participants = list(item.participants.select_related("user"))
    attached = list(item.attachments.all())
    for agenda_item in agenda:  # each item's own, for the template, from the one query
        agenda_item.attached = [a for a in attached if a.item_id == agenda_item.pk]  # type: ignore[attr-defined]
    me = next((p for p in participants if p.user_id == request.user.pk), None)
    protocol = services.current_protocol(item)
    context = {
        "project": project,
        "meeting": item,
        "agenda": agenda,
        "participants": participants,
        "can_run": RUN_MEETINGS in project.perms,
        "sees_personal_data": sees_personal_data,
        "may_add_entry": me is not None
        and me.present
        and item.status == Meeting.Status.HELD
        and not (protocol and protocol.status == Protocol.Status.SENT),
        "entry_form": EntryForm(),
        "protocol": protocol,
        "attachments": [a for a in attached if a.item_id is None],
        "can_attach": RUN_MEETINGS in project.perms
        and item.status not in (Meeting.Status.CANCELLED, Meeting.Status.PROTOCOL_APPROVED),
        "can_edit_agenda": RUN_MEETINGS in project.perms
        and item.status != Meeting.Status.PROTOCOL_APPROVED
        and not (protocol and protocol.status == Protocol.Status.SENT),
    }
    response = render(request, "consultations/meeting.html", context)
    named = (
        {p.employee_id for i in agenda for p in i.placements.all()} if sees_personal_data else ()
    )
    if named:
        access_log.log(request, project, Purpose.MEETING, employees=named)
        no_store(response)
    return response


def _placements_with_names():
    return Placement.objects.select_related("employee", "position")


@require_POST
@project_view(RUN_MEETINGS)
def meeting_call(request, project, pk):
    item = get_object_or_404(Meeting, project=project, pk=pk)
    with errors_as_message(request):
        services.call_meeting(meeting=item, by=request.user)
        messages.success(request, _("Innkallingen med saksliste og kalenderinvitasjon er sendt."))
    return redirect("consultations:meeting", project.pk, pk)


@require_POST
@project_view(RUN_MEETINGS)
def meeting_cancel(request, project, pk):
    item = get_object_or_404(Meeting, project=project, pk=pk)
    with errors_as_message(request):
        services.cancel_meeting(meeting=item, by=request.user)
        messages.success(
            request,
            _("Møtet er avlyst. De som var kalt inn, får avlysningen i kalenderen sin.")
            if item.called_at
            else _("Møtet er avlyst."),
        )
    return redirect("consultations:meeting", project.pk, pk)


@project_view(RUN_MEETINGS)
def meeting_record_afterwards(request, project):
    """A meeting held without a notice from reorg, recorded afterwards (and marked so)."""
    form = MeetingForm(request.POST or None, project=project, held=True)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            saved = services.save_meeting(
                meeting=form.save(commit=False),
                participants=form.participants,
                by=request.user,
                held_before=True,
            )
            messages.success(
                request,
                _("Møtet er registrert i ettertid. Registrer hvem som var til stede, og sakene."),
            )
            return redirect("consultations:meeting_held", project.pk, saved.pk)
    context = {"project": project, "form": form, "meeting": None, "afterwards": True}
    return render(request, "consultations/meeting_form.html", context)


@project_view(RUN_MEETINGS)
def meeting_held(request, project, pk):
    item = get_object_or_404(Meeting, project=project, pk=pk)
    reachable = list(services.reachable_milestones(item))
    form = HeldForm(request.POST or None, meeting=item, reachable=reachable)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.mark_held(
                meeting=item,
                present_user_ids=[int(pk) for pk in form.cleaned_data["present"]],
                reached_milestone_ids=[int(pk) for pk in form.cleaned_data.get("reached", [])],
                by=request.user,
            )
            messages.success(request, _("Møtet er registrert som holdt."))
            return redirect("consultations:meeting", project.pk, pk)
    return render(
        request,
        "consultations/meeting_held.html",
        {"project": project, "meeting": item, "form": form},
    )


# --- The agenda -------------------------------------------------------------------------------


@project_view(RUN_MEETINGS)
def item_create(request, project, meeting_pk):
    return _item_form(request, project, meeting_pk, None)


@project_view(RUN_MEETINGS)
def item_edit(request, project, meeting_pk, pk):
    return _item_form(request, project, meeting_pk, pk)


def _item_form(request, project, meeting_pk, pk):
    item_meeting = get_object_or_404(Meeting, project=project, pk=meeting_pk)
    item = get_object_or_404(AgendaItem, meeting=item_meeting, pk=pk) if pk else None
    instance = item or AgendaItem(meeting=item_meeting, order=item_meeting.items.count() + 1)
    form = AgendaItemForm(
        request.POST or None,
        instance=instance,
        project=project,
        sees_personal_data=VIEW_PERSONAL_DATA in project.perms,
    )
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_item(item=form.save(commit=False), links=form.links, by=request.user)
            messages.success(request, _("Saken er lagret."))
            return redirect("consultations:meeting", project.pk, item_meeting.pk)
    context = {"project": project, "meeting": item_meeting, "form": form, "item": item}
    response = render(request, "consultations/item_form.html", context)
    if "placements" in form.fields:  # the choices name every placed employee
        choices = model_choice_field(form, "placements").queryset
        assert choices is not None  # the form narrows it to the project
        shown = list(choices.values_list("employee_id", flat=True))
        access_log.log(request, project, Purpose.EDIT, employees=shown)
        no_store(response)
    return response


@require_POST
@project_view()
def entry_add(request, project, meeting_pk, pk):
    """A protocol entry by someone present: any member invited to the meeting may try; the
    service checks presence."""
    item_meeting = _meeting_for(request, project, meeting_pk)
    item = get_object_or_404(AgendaItem, meeting=item_meeting, pk=pk)
    form = EntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv protokolltilførselen."))
    else:
        with errors_as_message(request):
            services.add_entry(item=item, text=form.cleaned_data["text"], by=request.user)
            messages.success(request, _("Protokolltilførselen er lagt til."))
    return redirect("consultations:meeting", project.pk, item_meeting.pk)


# --- The protocol -------------------------------------------------------------------------------


@project_view()
def protocol(request, project, meeting_pk):
    item_meeting = _meeting_for(request, project, meeting_pk)
    protocols = list(
        item_meeting.protocols.prefetch_related("confirmations__user").order_by("-version")
    )
    me = Participant.objects.filter(meeting=item_meeting, user=request.user, present=True).first()
    current = protocols[0] if protocols else None
    confirmed = current and any(c.user_id == request.user.pk for c in current.confirmations.all())
    may_confirm = bool(me and current and current.status == Protocol.Status.SENT and not confirmed)
    # What the protocol says, as its PDF does: frozen once sent, else what it would say now.
    snapshot = (current and current.snapshot) or (
        documents.protocol_snapshot(item_meeting)
        if item_meeting.status in (Meeting.Status.HELD, Meeting.Status.PROTOCOL_APPROVED)
        else None
    )
    context = {
        "project": project,
        "meeting": item_meeting,
        "protocols": protocols,
        "current": current,
        "can_run": RUN_MEETINGS in project.perms,
        "may_confirm": may_confirm,
        "correction_form": CorrectionForm() if may_confirm else None,
        "sides_present": sorted(services.sides_present(item_meeting)),
        "document": documents.protocol_context(
            snapshot, current, current.confirmations.all() if current else []
        )
        if snapshot
        else None,
    }
    return render(request, "consultations/protocol.html", context)


@require_POST
@project_view()
def protocol_correction(request, project, meeting_pk):
    """A representative present asks for a correction instead of confirming."""
    item_meeting = _meeting_for(request, project, meeting_pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        with errors_as_message(request):
            services.request_correction(
                meeting=item_meeting, comment=form.cleaned_data["comment"], by=request.user
            )
            messages.success(
                request, _("Du har bedt om retting. Prosjektlederen har fått beskjed.")
            )
    else:
        messages.error(request, form_errors(form))
    return redirect("consultations:protocol", project.pk, item_meeting.pk)


@require_POST
@project_view()
def protocol_action(request, project, meeting_pk, action):
    item_meeting = _meeting_for(request, project, meeting_pk)
    actions = {
        "send": (
            services.send_for_approval,
            RUN_MEETINGS,
            _("Protokollen er sendt til godkjenning."),
        ),
        "reopen": (services.reopen, RUN_MEETINGS, _("Protokollen er åpnet for endringer.")),
        "confirm": (services.confirm, None, _("Du har bekreftet protokollen.")),
    }
    if action not in actions:
        raise Http404
    service, perm, message = actions[action]
    if perm:
        require(project, perm)
    with errors_as_message(request):
        service(meeting=item_meeting, by=request.user)
        messages.success(request, message)
    return redirect("consultations:protocol", project.pk, item_meeting.pk)


@project_view()
def protocol_pdf(request, project, meeting_pk, version):
    item_meeting = _meeting_for(request, project, meeting_pk)
    item = get_object_or_404(Protocol, meeting=item_meeting, version=version)
    if item.status == Protocol.Status.APPROVED:
        return frozen_pdf_download(
            item.pdf,
            documents.stored_filename(item),
            lambda: documents.approved_protocol_pdf(item),
        )
    # A draft or a protocol sent for approval: rendered now from what it says, marked UTKAST.
    snapshot = item.snapshot or documents.protocol_snapshot(item_meeting)
    pdf = documents.render_protocol_pdf(
        snapshot, protocol=item, confirmations=list(item.confirmations.select_related("user"))
    )
    return pdf_download(pdf, documents.protocol_filename(snapshot, item))


# --- Questions ----------------------------------------------------------------------------------


def _askable_workstreams(request, project):
    if ANSWER_QUESTIONS in project.perms:
        return project.workstreams.all()
    return project.workstreams.filter(pk__in=own_workstream_ids(request.user, project))


@project_view()
def questions(request, project):
    workstreams = _askable_workstreams(request, project)
    form = QuestionForm(request.POST or None, project=project, workstreams=workstreams)
    if request.method == "POST":
        if ANSWER_QUESTIONS not in project.perms and not own_workstream_ids(request.user, project):
            raise PermissionDenied
        if form.is_valid():
            with errors_on_form(form):
                services.ask(question=form.save(commit=False), by=request.user)
                messages.success(request, _("Spørsmålet er registrert."))
                return redirect("consultations:questions", project.pk)
    items = project.questions.select_related("workstream", "asked_by", "answered_by")
    context = {
        "project": project,
        "unanswered": [q for q in items if not q.answered_at],
        "answered": [q for q in items if q.answered_at],
        "form": form if (ANSWER_QUESTIONS in project.perms or workstreams.exists()) else None,
        "can_answer": ANSWER_QUESTIONS in project.perms,
        "answer_form": AnswerForm(),
    }
    return render(request, "consultations/questions.html", context)


@require_POST
@project_view(ANSWER_QUESTIONS)
def question_answer(request, project, pk):
    item = get_object_or_404(Question, project=project, pk=pk)
    form = AnswerForm(request.POST, prefix=f"q{pk}")
    if not form.is_valid():
        messages.error(request, _("Skriv et svar."))
    else:
        with errors_as_message(request):
            services.answer(question=item, text=form.cleaned_data["answer"], by=request.user)
            messages.success(request, _("Svaret er publisert til alle arbeidsstrømmene."))
    return redirect("consultations:questions", project.pk)


# --- Placements: consulted in a meeting, decided through the gate ------------------------------


@require_POST
@project_view(RUN_MEETINGS)
def item_placements_consulted(request, project, meeting_pk, pk):
    """The placements on an agenda item were consulted on in this (held) meeting."""
    if VIEW_PERSONAL_DATA not in project.perms:
        raise PermissionDenied
    item = get_object_or_404(AgendaItem, meeting__project=project, meeting_id=meeting_pk, pk=pk)
    with errors_as_message(request):
        moved = services.mark_placements_consulted(item=item, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(n)s innplassering er markert som drøftet.",
                "%(n)s innplasseringer er markert som drøftet.",
                len(moved),
            )
            % {"n": len(moved)},
        )
    return redirect("consultations:meeting", project.pk, meeting_pk)


@personal_data_view(MANAGE_PERSONNEL)
def placement_decide(request, project, pk):
    """HR, the owner or the leader decides a placement, seeing what was consulted on about it."""
    placement = get_object_or_404(
        Placement.objects.select_related("employee", "position", "position__unit"),
        employee__project=project,
        pk=pk,
    )
    access_log.log(request, project, Purpose.DECISION, employees=[placement.employee_id])
    consultation = gate.for_placement(placement)
    form = PlacementDecisionForm(
        request.POST or None, consulted=consultation.approved, initial={"decided_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.decide_placement(placement=placement, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Innplasseringen av %(employee)s er besluttet.")
                % {"employee": placement.employee},
            )
            return redirect(reverse("roles:placements", args=[project.pk]) + f"#p{placement.pk}")
    context = {
        "project": project,
        "placement": placement,
        "consultation": consultation,
        "form": form,
        "strict": project.organisation.strict_consultation,
    }
    return render(request, "consultations/placement_decide.html", context)


# --- Attachments --------------------------------------------------------------------------------

# The attachments page shows the latest changes (a fixed number of rows, whatever the history).
HISTORY_ROWS = 50


@project_view()
def attachments(request, project):
    """The project's documents: its own, and those of the meetings the user sees (with the agenda
    item they belong to), and their history: who added and removed what, when."""
    visible = Attachment.objects.visible_to(request.user, project)
    rows = list(visible.select_related("meeting", "item", "uploaded_by"))
    meetings = Meeting.objects.visible_to(request.user, project).values("pk")
    history = (
        Attachment.history.filter(project_id=project.pk)
        .filter(Q(meeting_id__isnull=True) | Q(meeting_id__in=meetings))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_ROWS]
    )
    context = {
        "project": project,
        "own": [a for a in rows if a.meeting_id is None],
        "on_meetings": [a for a in rows if a.meeting_id is not None],
        "history": list(history),
        "history_rows": HISTORY_ROWS,
        "can_add": CHANGE_PLAN in project.perms,
        "can_run": RUN_MEETINGS in project.perms,
    }
    return render(request, "consultations/attachments.html", context)


@project_view(CHANGE_PLAN)
def attachment_add(request, project):
    return _attachment_form(request, project, None)


@project_view(RUN_MEETINGS)
def meeting_attachment_add(request, project, meeting_pk):
    return _attachment_form(
        request, project, get_object_or_404(Meeting, project=project, pk=meeting_pk)
    )


def _attachment_form(request, project, meeting: Meeting | None):
    posted = request.method == "POST"  # bound even when empty: "Velg en fil."
    form = AttachmentForm(
        request.POST if posted else None, request.FILES if posted else None, meeting=meeting
    )
    if posted and form.is_valid():
        with errors_on_form(form):
            added = services.add_attachment(
                project=project,
                meeting=meeting,
                item=form.cleaned_data.get("item"),
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
            messages.success(
                request,
                _("«%(title)s» er lagt ved.") % {"title": added.title}
                + (
                    " " + _("Send innkallingen på nytt, så får deltakerne vedlegget.")
                    if meeting is not None and meeting.called_at
                    else ""
                ),
            )
            if meeting is not None:
                return redirect("consultations:meeting", project.pk, meeting.pk)
            return redirect("consultations:attachments", project.pk)
    context = {"project": project, "meeting": meeting, "form": form}
    return render(request, "consultations/attachment_form.html", context)


@project_view()
def attachment_download(request, project, pk):
    """The file, to those who may see it: the project's own to every member, a meeting's to
    those who see the meeting (else 404). Never cached."""
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user, project), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    return no_store(response)


@require_POST
@project_view()
def attachment_remove(request, project, pk):
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user, project), pk=pk)
    require(project, RUN_MEETINGS if attachment.meeting_id else CHANGE_PLAN)
    with errors_as_message(request):
        services.remove_attachment(attachment=attachment, by=request.user)
        messages.success(request, _("«%(title)s» er fjernet.") % {"title": attachment.title})
    if attachment.meeting_id:
        return redirect("consultations:meeting", project.pk, attachment.meeting_id)
    return redirect("consultations:attachments", project.pk)
