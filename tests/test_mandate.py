"""Writing the mandate section by section, its rules, deciding it and its change log."""

import datetime as dt

import pytest
from django.urls import reverse

from projects import services
from projects.models import (
    Benefit,
    Goal,
    MandateVersion,
    Phase,
    Project,
    Workstream,
)
from reports import services as report_services

from .factories import (
    UNCONSULTED,
    OrganisationFactory,
    PhaseFactory,
    ProjectFactory,
    SolutionOptionFactory,
    UserFactory,
    WorkstreamFactory,
)

# The owner's decision on the mandate page: today, without an approved protocol (the gate's own
# tests are in test_consultation_gate.py).
DECISION = {
    "beslutt-decided_on": dt.date.today().isoformat(),
    "beslutt-no_protocol_reason": UNCONSULTED,
}


def section_url(project, slug):
    return reverse("projects:mandate_section", args=[project.pk, slug])


def test_it_saves_a_text_section_and_answers_htmx_with_the_section(client, project, leader):
    client.force_login(leader)
    response = client.post(
        section_url(project, "bakgrunn"),
        {"bakgrunn-background": "Åmot kommune ønsker en mindre ledergruppe."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Åmot kommune ønsker en mindre ledergruppe." in body
    assert "<html" not in body  # the section alone, for htmx to swap in
    project.refresh_from_db()
    assert project.background == "Åmot kommune ønsker en mindre ledergruppe."
    assert project.history.first().history_user == leader
    assert project.history.first().history_change_reason == "Bakgrunn"


def test_it_redirects_to_the_section_without_htmx(client, project, leader):
    client.force_login(leader)
    response = client.post(
        section_url(project, "hensikt"), {"hensikt-purpose": "Tydeligere roller."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/mandat/#hensikt")


def test_it_shows_the_edit_form_on_request(client, project, leader):
    client.force_login(leader)
    response = client.get(
        section_url(project, "bakgrunn") + "?rediger=1", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'name="bakgrunn-background"' in response.content.decode()


def test_goals_are_an_ordered_list_kept_in_place(client, project, leader):
    client.force_login(leader)
    url = section_url(project, "resultatmal")
    client.post(url, {"resultatmal-goals": "Beskrive nåsituasjonen\nDefinere kompetansebehov\n\n"})
    first = list(project.goals.filter(kind=Goal.Kind.RESULT).values_list("pk", "order", "text"))
    assert [(o, t) for _, o, t in first] == [
        (1, "Beskrive nåsituasjonen"),
        (2, "Definere kompetansebehov"),
    ]

    client.post(
        url, {"resultatmal-goals": "Beskrive nåsituasjonen\nUtarbeide rollebeskrivelser\nKartlegge"}
    )
    second = list(project.goals.filter(kind=Goal.Kind.RESULT).values_list("pk", "order", "text"))
    assert [t for _, _, t in second] == [
        "Beskrive nåsituasjonen",
        "Utarbeide rollebeskrivelser",
        "Kartlegge",
    ]
    assert second[0][0] == first[0][0]  # unchanged goal kept, not deleted and recreated
    assert not project.goals.filter(kind=Goal.Kind.EFFECT).exists()


def test_benefits_are_saved_in_order_with_their_measures(client, project, leader):
    client.force_login(leader)
    data = {
        "gevinster-TOTAL_FORMS": "2",
        "gevinster-INITIAL_FORMS": "0",
        "gevinster-MIN_NUM_FORMS": "0",
        "gevinster-MAX_NUM_FORMS": "30",
        "gevinster-0-title": "Forenklet organisering",
        "gevinster-0-indicator": "Timer i ledermøter per måned",
        "gevinster-0-baseline": "40",
        "gevinster-0-target": "25",
        "gevinster-0-unit": "timer",
        "gevinster-0-owner": "Rådmann",
        "gevinster-1-title": "",
        "gevinster-1-indicator": "",
    }
    response = client.post(section_url(project, "gevinster"), data)
    assert response.status_code == 302
    benefit = Benefit.objects.get(project=project)
    assert (benefit.order, benefit.indicator, benefit.baseline, benefit.target) == (
        1,
        "Timer i ledermøter per måned",
        "40",
        "25",
    )


def test_a_benefit_row_without_a_title_is_refused(client, project, leader):
    client.force_login(leader)
    data = {
        "gevinster-TOTAL_FORMS": "1",
        "gevinster-INITIAL_FORMS": "0",
        "gevinster-MIN_NUM_FORMS": "0",
        "gevinster-MAX_NUM_FORMS": "30",
        "gevinster-0-title": "",
        "gevinster-0-indicator": "Noe å måle",
    }
    response = client.post(section_url(project, "gevinster"), data)
    assert response.status_code == 200
    assert "Gi gevinsten et navn, eller tøm raden." in response.content.decode()
    assert not Benefit.objects.exists()


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        (
            "navn",
            {
                "navn-name": "",
                "navn-code": "X",
                "navn-status": "active",
                "navn-start_date": "2026-01-05",
                "navn-report_interval_days": "21",
            },
            "Feltet er påkrevet.",
        ),
        (
            "navn",
            {
                "navn-name": "Nytt navn",
                "navn-code": "X",
                "navn-status": "active",
                "navn-start_date": "2026-03-01",
                "navn-last_delivery_date": "2026-02-01",
                "navn-report_interval_days": "21",
            },
            "Siste leveransedato kan ikke være før startdatoen.",
        ),
        (
            "navn",
            {
                "navn-name": "Nytt navn",
                "navn-code": "X",
                "navn-status": "active",
                "navn-start_date": "ikke en dato",
                "navn-report_interval_days": "21",
            },
            "Oppgi en gyldig dato.",
        ),
        (
            "navn",
            {
                "navn-name": "Nytt navn",
                "navn-code": "X",
                "navn-status": "active",
                "navn-start_date": "2026-01-05",
                "navn-report_interval_days": "3",
            },
            "Verdien må være større enn eller lik 7.",
        ),
        (
            "bakgrunn",
            {"bakgrunn-background": "x" * 20001},
            "Sørg for at denne verdien har 20000 eller færre tegn",
        ),
        ("resultatmal", {"resultatmal-goals": "kort\n" + "y" * 2001}, "Mål nummer 2 er for langt"),
    ],
)
def test_bad_input_gives_a_norwegian_message_and_changes_nothing(
    client, project, leader, slug, data, message
):
    before = Project.objects.values().get(pk=project.pk)
    history_before = project.history.count()
    client.force_login(leader)
    response = client.post(section_url(project, slug), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Project.objects.values().get(pk=project.pk) == before
    assert project.history.count() == history_before
    assert not Goal.objects.exists()


def test_a_code_taken_in_the_organisation_is_refused(client, project, leader, organisation, owner):
    ProjectFactory(organisation=organisation, owner=owner, leader=leader, code="TATT")
    client.force_login(leader)
    response = client.post(
        section_url(project, "navn"),
        {
            "navn-name": "Nytt navn",
            "navn-code": "TATT",
            "navn-status": "active",
            "navn-start_date": "2026-01-05",
            "navn-report_interval_days": "21",
        },
    )
    assert response.status_code == 200
    assert "finnes allerede" in response.content.decode()
    project.refresh_from_db()
    assert project.code != "TATT"


def test_deciding_freezes_a_numbered_version_and_later_edits_make_a_draft(
    client, project, owner, leader, django_capture_on_commit_callbacks
):
    services.update_mandate_fields(
        project=project, values={"background": "Første tekst"}, section="Bakgrunn", by=leader
    )
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:decide_mandate", args=[project.pk]), DECISION)
    assert response.status_code == 302
    version = MandateVersion.objects.get(project=project)
    assert (version.number, version.decided_by, version.snapshot["background"]) == (
        1,
        owner,
        "Første tekst",
    )
    assert version.pdf  # rendered once when decided (tasks run eagerly in tests)
    project.refresh_from_db()
    assert project.mandate_state == Project.MandateState.DECIDED

    # Deciding an unchanged mandate again makes no new version.
    client.post(reverse("reports:decide_mandate", args=[project.pk]), DECISION)
    assert MandateVersion.objects.filter(project=project).count() == 1

    client.force_login(leader)
    client.post(section_url(project, "bakgrunn"), {"bakgrunn-background": "Andre tekst"})
    project.refresh_from_db()
    assert project.mandate_state == Project.MandateState.DRAFT
    version.refresh_from_db()
    assert version.snapshot["background"] == "Første tekst"  # the decided version is frozen

    client.force_login(owner)
    client.post(reverse("reports:decide_mandate", args=[project.pk]), DECISION)
    assert list(project.mandate_versions.values_list("number", flat=True)) == [2, 1]


def test_only_the_owner_decides(client, project, leader):
    client.force_login(leader)
    assert (
        client.post(reverse("reports:decide_mandate", args=[project.pk]), DECISION).status_code
        == 403
    )
    assert not MandateVersion.objects.exists()


def test_deciding_is_a_post(client, project, owner):
    client.force_login(owner)
    assert client.get(reverse("reports:decide_mandate", args=[project.pk])).status_code == 405
    assert not MandateVersion.objects.exists()


def test_the_change_log_names_who_changed_which_section(client, project, leader, owner):
    client.force_login(leader)
    client.post(section_url(project, "bakgrunn"), {"bakgrunn-background": "Ny bakgrunn"})
    client.post(
        section_url(project, "effektmal"),
        {"effektmal-goals": "Mer delegering\nBedre arbeidskultur"},
    )
    client.force_login(owner)
    client.post(reverse("reports:decide_mandate", args=[project.pk]), DECISION)
    response = client.get(reverse("reports:changelog", args=[project.pk]))
    body = response.content.decode()
    body = body[body.index("<tbody>") :]
    assert "Bakgrunn" in body and "Effektmål" in body and "Mandatet besluttet (versjon 1)" in body
    assert str(leader) in body and str(owner) in body
    # The two goals saved at once are one change of the section, not two lines.
    assert body.count("Effektmål") == 1


# --- Phases, workstreams and options ---------------------------------------------------------


def test_a_phase_ending_before_it_starts_is_refused(client, project, leader):
    client.force_login(leader)
    response = client.post(
        reverse("projects:phases", args=[project.pk]),
        {
            "ny-order": "1",
            "ny-name": "Fase 1",
            "ny-start_date": "2026-06-01",
            "ny-end_date": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert "Slutt kan ikke være før start." in response.content.decode()
    assert not Phase.objects.exists()


def test_a_phase_is_added_and_edited(client, project, leader):
    client.force_login(leader)
    client.post(
        reverse("projects:phases", args=[project.pk]),
        {
            "ny-order": "1",
            "ny-name": "Fase 1",
            "ny-start_date": "2026-04-01",
            "ny-end_date": "2026-08-26",
        },
    )
    phase = Phase.objects.get(project=project)
    client.post(
        reverse("projects:phase_edit", args=[project.pk, phase.pk]),
        {
            "order": "1",
            "name": "Fase 1: midlertidig løsning",
            "start_date": "2026-04-01",
            "end_date": "2026-08-26",
        },
    )
    phase.refresh_from_db()
    assert phase.name == "Fase 1: midlertidig løsning"
    assert phase.history.first().history_user == leader


@pytest.fixture
def workstream(project, leader):
    return WorkstreamFactory(
        project=project, order=1, name="Arbeidsstrøm 1: Skoler/barnehager", by=leader
    )


def ready_post(workstream, leader):
    return {
        "order": "1",
        "name": workstream.name,
        "units": "",
        "lead": str(leader.pk),
        "status": "ready",
    }


def test_a_workstream_with_one_option_cannot_be_marked_ready(client, project, leader, workstream):
    SolutionOptionFactory(
        workstream=workstream, title="0-alternativet", is_zero_alternative=True, by=leader
    )
    client.force_login(leader)
    response = client.post(
        reverse("projects:workstream", args=[project.pk, workstream.pk]),
        ready_post(workstream, leader),
    )
    assert response.status_code == 200
    assert "minst 2 og høyst 4 løsningsforslag" in response.content.decode()
    workstream.refresh_from_db()
    assert workstream.status == Workstream.Status.DRAFT
    assert workstream.lead is None


def test_a_workstream_needs_exactly_one_zero_alternative(client, project, leader, workstream):
    SolutionOptionFactory(workstream=workstream, title="Slå sammen enheter", by=leader)
    SolutionOptionFactory(workstream=workstream, title="Felles ledelse", by=leader)
    client.force_login(leader)
    response = client.post(
        reverse("projects:workstream", args=[project.pk, workstream.pk]),
        ready_post(workstream, leader),
    )
    assert "Nøyaktig ett av løsningsforslagene må være 0-alternativet" in response.content.decode()
    workstream.refresh_from_db()
    assert workstream.status == Workstream.Status.DRAFT


def test_a_workstream_with_two_to_four_options_and_one_zero_is_ready(
    client, project, leader, workstream
):
    SolutionOptionFactory(
        workstream=workstream, title="0-alternativet", is_zero_alternative=True, by=leader
    )
    SolutionOptionFactory(workstream=workstream, title="Felles ledelse", by=leader)
    client.force_login(leader)
    response = client.post(
        reverse("projects:workstream", args=[project.pk, workstream.pk]),
        ready_post(workstream, leader),
    )
    assert response.status_code == 302
    workstream.refresh_from_db()
    assert workstream.status == Workstream.Status.READY

    # Removing an option from a ready workstream would break the rule: refused, nothing deleted.
    option = workstream.options.exclude(is_zero_alternative=True).get()
    client.post(reverse("projects:option_delete", args=[project.pk, workstream.pk, option.pk]))
    assert workstream.options.count() == 2


def test_a_fifth_option_on_a_ready_workstream_is_refused(client, project, leader, workstream):
    SolutionOptionFactory(
        workstream=workstream, title="0-alternativet", is_zero_alternative=True, by=leader
    )
    for n in range(3):
        SolutionOptionFactory(workstream=workstream, title=f"Forslag {n}", by=leader)
    workstream.status = Workstream.Status.READY
    services.save_workstream(workstream=workstream, by=leader)
    client.force_login(leader)
    response = client.post(
        reverse("projects:option_add", args=[project.pk, workstream.pk]),
        {"forslag-order": "5", "forslag-title": "Femte forslag"},
    )
    assert response.status_code == 200
    assert "Den har 5" in response.content.decode()
    assert workstream.options.count() == 4


def test_another_organisations_ids_give_404_and_change_nothing(client, project, leader, workstream):
    other_org = OrganisationFactory()
    stranger = UserFactory(organisations=[other_org])
    other = ProjectFactory(organisation=other_org, owner=stranger, leader=stranger)
    other_phase = PhaseFactory(project=other, name="Deres fase", by=stranger)
    client.force_login(leader)
    assert client.get(reverse("reports:mandate", args=[other.pk])).status_code == 404
    assert (
        client.post(section_url(other, "bakgrunn"), {"bakgrunn-background": "Hei"}).status_code
        == 404
    )
    # Our project, their phase: still 404.
    url = reverse("projects:phase_edit", args=[project.pk, other_phase.pk])
    assert client.post(url, {"order": "1", "name": "Kapret"}).status_code == 404
    other.refresh_from_db()
    other_phase.refresh_from_db()
    assert other.background == "" and other_phase.name == "Deres fase"


def test_the_unknown_section_is_404(client, project, leader):
    client.force_login(leader)
    assert client.get(section_url(project, "finnes-ikke")).status_code == 404


def test_a_member_of_the_organisation_starts_a_project_and_leads_it(
    client, organisation, owner, leader
):
    client.force_login(leader)
    assert client.get(reverse("reports:project_create")).status_code == 200
    response = client.post(
        reverse("reports:project_create"),
        {
            "start_from": "blank",
            "organisation": organisation.pk,
            "name": "Ny helse- og omsorgsstruktur",
            "code": "HO-2027",
            "owner": owner.pk,
            "owner_title": "Kommunedirektør",
            "start_date": "2027-01-04",
            "last_delivery_date": "2027-12-01",
        },
    )
    project = Project.objects.get(code="HO-2027")
    assert response["Location"] == reverse("reports:mandate", args=[project.pk])
    assert (project.leader, project.owner) == (leader, owner)
    assert set(project.memberships.values_list("user__username", "role")) == {
        ("leder", "leader"),
        ("eier", "owner"),
    }
    assert client.get(reverse("reports:mandate", args=[project.pk])).status_code == 200


def test_a_project_cannot_be_started_in_another_organisation(
    client, organisation, leader, outsider, other_organisation
):
    client.force_login(leader)
    response = client.post(
        reverse("reports:project_create"),
        {
            "start_from": "blank",
            "organisation": other_organisation.pk,
            "name": "Kapret",
            "code": "K",
            "owner": outsider.pk,
            "start_date": "2027-01-04",
        },
    )
    assert response.status_code == 200
    assert (
        "Velg et gyldig valg" in response.content.decode()
        or "Velg et gyldig alternativ" in response.content.decode()
    )
    assert not Project.objects.filter(code="K").exists()


def test_starting_projects_is_a_granted_right(client, organisation, owner, steering):
    client.force_login(steering)
    assert client.get(reverse("reports:project_create")).status_code == 403
    assert "Nytt prosjekt" not in client.get(reverse("projects:list")).content.decode()


def test_saving_what_is_already_there_keeps_a_decided_mandate_decided(
    client, project, owner, leader
):
    services.update_mandate_fields(
        project=project, values={"background": "Tekst"}, section="Bakgrunn", by=leader
    )
    services.replace_goals(
        project=project, kind="result", texts=["Mål 1"], section="Resultatmål", by=leader
    )
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason=UNCONSULTED)
    client.force_login(leader)
    client.post(section_url(project, "bakgrunn"), {"bakgrunn-background": "Tekst"})
    client.post(section_url(project, "resultatmal"), {"resultatmal-goals": "Mål 1\n"})
    project.refresh_from_db()
    assert project.mandate_state == Project.MandateState.DECIDED
    # The project's status is not part of the mandate either.
    services.update_mandate_fields(
        project=project, values={"status": "completed"}, section="Status", by=leader
    )
    project.refresh_from_db()
    assert (project.status, project.mandate_state) == ("completed", Project.MandateState.DECIDED)


def test_changing_the_plan_makes_a_new_draft_of_a_decided_mandate(client, project, owner, leader):
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason=UNCONSULTED)
    client.force_login(leader)
    client.post(
        reverse("projects:phases", args=[project.pk]), {"ny-order": "1", "ny-name": "Fase 2"}
    )
    project.refresh_from_db()
    assert project.mandate_state == Project.MandateState.DRAFT
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason=UNCONSULTED)
    assert project.mandate_versions.first().snapshot["phases"][0]["name"] == "Fase 2"


def test_a_refused_ready_status_is_not_shown_as_saved(client, project, leader, workstream):
    client.force_login(leader)
    response = client.post(
        reverse("projects:workstream", args=[project.pk, workstream.pk]),
        ready_post(workstream, leader),
    )
    body = response.content.decode()
    facts = body[body.index('<dl class="facts">') : body.index("</dl>")]
    assert "Under arbeid" in facts and "Klar til beslutning" not in facts
