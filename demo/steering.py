"""Demo risks and decision requests (`manage.py load_demo`): what the steering group of the
Velferd project (seed 000: "rapportere fremdrift, status og eventuelle beslutningsgrunnlag hver
3. uke") and of Helse og mestring (seed 004) have in front of them. Made up for the demo, in the
seeds' terms. Written by the leader through the services; a project's part is built only when it
has no risks and no decision requests yet."""

from datetime import date

from projects import services
from projects.models import Risk
from reports import periods
from reports import services as report_services
from reports.models import DecisionRequest

# fmt: off
# title, description, probability, consequence, owner, mitigation, status
RISKS = {
    "OU-VELFERD": [
        ("Færre ledernivåer gir for stort kontrollspenn", "Kommunalsjefene får flere seksjonsledere å følge opp enn de rekker.", 3, 4, "leder", "Beskrive ledernes oppgaver og støtte fra stab før anbefalingen.", Risk.Status.OPEN),
        ("Omstillingen tar kapasitet fra BTI-prosjektet", "De samme lederne skal drive BTI-prosjektet og omstillingen gjennom tjenestedesign.", 4, 3, "eier", "Styringsgruppen prioriterer mellom prosjektene hver tredje uke.", Risk.Status.OPEN),
        ("Uro blant ansatte før anbefalingen er klar", "", 3, 3, "leder", "Informere ansatte og tillitsvalgte etter hvert møte i styringsgruppen.", Risk.Status.HANDLED),
        ("Siste leveransedato 1. desember holder ikke", "", 2, 4, "leder", "Fremdriftsplanen følges opp i hver statusrapport.", Risk.Status.OPEN),
    ],
    "HELSE-MESTRING": [
        ("Enhetslederstillinger blir stående ledige", "Få søkere med både ledererfaring og helsefaglig bakgrunn.", 3, 5, "hr", "Kompetansekrav og vurdering av rettskrav før utlysning.", Risk.Status.OPEN),
        ("Flyttingen til Lekneshagen forsinkes", "", 2, 4, "leder", "Egen prosjektgruppe for flytting.", Risk.Status.OPEN),
    ],
}

# title, question, basis, deadline, outcome, decision, decided on
DECISIONS: dict[str, list[tuple[str, str, str, date, str, str, date | None]]] = {
    "OU-VELFERD": [
        ("Fremdriftsplan med arbeidsstrømmer", "godkjenne fremdriftsplanen med beskrivelse av arbeidsstrømmene", "Fremdriftsplanen skal etableres før 1. juli (mandatet).", date(2021, 6, 30), DecisionRequest.Outcome.DECIDED, "Fremdriftsplanen er godkjent.", date(2021, 6, 24)),
        ("Antall kommunalsjefer", "ta stilling til om utredningen skal omfatte færre kommunalsjefområder", "Grensesnittet mellom kommunalsjefområdene er beskrevet av prosjektgruppen.", date(2021, 11, 15), DecisionRequest.Outcome.PENDING, "", None),
    ],
    "HELSE-MESTRING": [
        ("Kompetansekrav for enhetsledere", "vedta kompetansekravene for de åtte enhetslederstillingene før utlysning", "Kravene er drøftet med fagforeningene.", date(2022, 9, 1), DecisionRequest.Outcome.PENDING, "", None),
    ],
}

# fmt: on


def build_steering(project, users, admin) -> bool:
    """Add the project's demo risks and decision requests if it has none yet."""
    if project.code not in RISKS or project.risks.exists() or project.decision_requests.exists():
        return False
    leader = users["leder"]
    for title, description, p, c, owner, mitigation, status in RISKS[project.code]:
        services.save_risk(
            risk=Risk(
                project=project,
                title=title,
                description=description,
                probability=p,
                consequence=c,
                owner=users[owner],
                mitigation=mitigation,
                status=status,
            ),
            by=leader,
        )
    for title, question, basis, deadline, outcome, decision, decided_on in DECISIONS[project.code]:
        request = report_services.save_decision_request(
            request=DecisionRequest(
                project=project, title=title, question=question, basis=basis, deadline=deadline
            ),
            by=leader,
        )
        if outcome != DecisionRequest.Outcome.PENDING:
            report_services.record_decision(
                request=request, outcome=outcome, decision=decision, on=decided_on, by=users["eier"]
            )
    return True


# The first six status reports of OU-prosjekt Velferd, 19 April to 5 August 2021, as the leader
# wrote them. Lights: overall, progress, economy, quality, risk, benefits.
# fmt: off
REPORTS = {
    "OU-VELFERD": [
        ("green green green green yellow green", "Mandatet er behandlet, og prosjektgruppen er satt sammen.", "Kick-off med ledere og tillitsvalgte. Kartlegge dagens organisering.", "", {"risk": "Ledere i BTI-prosjektet har liten kapasitet."}),
        ("green green green green yellow green", "Dagens organisering i Velferd er kartlagt.", "Workshop om grensesnitt mellom kommunalsjefområdene.", "Kapasitet hos lederne i BTI-prosjektet.", {}),
        ("yellow yellow green green yellow green", "Workshop holdt med 24 ledere.", "Utkast til fremdriftsplan med arbeidsstrømmer.", "Fremdriftsplanen er forsinket en uke på grunn av ferieavvikling.", {"progress": "Fremdriftsplanen kommer en uke senere enn planlagt."}),
        ("green green green green yellow green", "Fremdriftsplanen er godkjent av styringsgruppen 24. juni.", "Arbeidsstrømmene starter opp etter ferien.", "", {}),
        ("green green green green green green", "Ferieavvikling. Informasjon til ansatte om veien videre.", "Oppstart i arbeidsstrømmene.", "", {}),
        ("yellow green green yellow red green", "Arbeidsstrømmene har startet.", "Løsningsforslag i hver arbeidsstrøm.", "Uro blant ansatte i to seksjoner før anbefalingen er klar.", {"risk": "Risikoen for uro blant ansatte er økt; ekstra informasjonsmøte er avtalt.", "quality": "Tillitsvalgte ber om mer tid til å drøfte forslagene."}),
    ],
}
# fmt: on

DIMENSION_KEYS = ["overall", "progress", "economy", "quality", "risk", "benefits"]


def build_reports(project, users) -> bool:
    """Publish the project's demo status reports if it has none yet."""
    if project.code not in REPORTS or project.status_reports.exists():
        return False
    leader = users["leder"]
    for number, (lights, achieved, planned, challenges, comments) in enumerate(
        REPORTS[project.code], start=1
    ):
        report, _created = report_services.create_draft(
            project=project, period=periods.period(project, number), by=leader
        )
        values = {
            f"{key}_status": light
            for key, light in zip(DIMENSION_KEYS, lights.split(), strict=True)
        }
        values.update({f"{key}_comment": text for key, text in comments.items()})
        values.update(achieved=achieved, planned=planned, challenges=challenges)
        report = report_services.save_report(report=report, values=values, by=leader)
        report_services.publish(report=report, by=leader)
    return True
