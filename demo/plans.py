"""Demo milestones, decision points and activities (`manage.py load_demo`), from the seeds:

- Åmot (seed 001): the milestone table M1–M16 of section 5.5 with its criteria and dates, and the
  decision points of section 5.2. The project ran in 2013; the statuses record how it went (made
  up for the demo): M1–M12 reached, the rest still open, so the plan shows overdue ones.
- Velferd (seed 000): the plan its memo asks for: a progress plan with workstreams before 1 July,
  reports every three weeks, last delivery 1 December.
- Helse og mestring (seed 004): what was done and the decision it led to, and its "Hva skal nå
  gjøres" as activities for each unit's workstream.

Written through milestones.services, so history records who did it. A project's part is built
only when it has no milestones or activities yet: a rerun leaves edits made in the app alone.
"""

from datetime import date

from milestones import services
from milestones.models import Activity, Milestone

Kind = Milestone.Kind
Status = Milestone.Status

# code, title, criterion, due date, the date as written, responsible, status, reached on
AMOT_MILESTONES = [
    ("M1", "Ledersamling for virksomhetsledere", "", date(2013, 4, 12), "11.–12. april 2013", "leder", Status.REACHED, date(2013, 4, 12)),
    ("M2", "Tillitsvalgte", "Tillitsvalgte orientert", date(2013, 5, 3), "", "leder", Status.REACHED, date(2013, 5, 3)),
    ("M3", "Gjennomført kafédialog med alle i ledergruppen", "Dokumenter fra arbeidsgruppene foreligger", date(2013, 5, 13), "", "leder", Status.REACHED, date(2013, 5, 13)),
    ("M4", "Rådmannens forslag fremlegges ledergruppen", "Presentert forslag for innspill", date(2013, 6, 3), "", "eier", Status.REACHED, date(2013, 6, 3)),
    ("M5", "Definere, spesifisere og prioritere oppgaver", "Definert, spesifisert og prioritert hovedoppgaver til ledergruppen", date(2013, 6, 10), "", "leder", Status.REACHED, date(2013, 6, 10)),
    ("M6", "Arbeidsprosesser for ledergruppen", "Beskrevet både «nåværende» og «fremtidige» arbeidsprosesser for ledergruppen, samt gjennomført gapanalyse", date(2013, 6, 10), "", "leder", Status.REACHED, date(2013, 6, 11)),
    ("M7", "Rollebeskrivelser", "Utarbeidet mal for organisasjons- og bemanningsplan, samt rollebeskrivelser for den enkelte stilling", date(2013, 6, 10), "", "hr", Status.REACHED, date(2013, 6, 10)),
    ("M8", "Kartleggingssamtaler", "Gjennomført kartleggingssamtaler med alle berørte ansatte", date(2013, 6, 17), "", "hr", Status.REACHED, date(2013, 6, 14)),
    ("M9", "Utarbeidet organisasjons- og bemanningsplan", "Utarbeidet forslag til organisasjons- og bemanningsplan", date(2013, 6, 17), "", "leder", Status.REACHED, date(2013, 6, 17)),
    ("M10", "Utarbeidet prosedyre for innplassering", "Utarbeidet prosedyre for innplassering av ansatte", date(2013, 6, 17), "", "hr", Status.REACHED, date(2013, 6, 17)),
    ("M11", "Drøftet", "Drøftet ny organisasjons- og bemanningsplan og prosedyre for innplassering", date(2013, 6, 17), "", "leder", Status.REACHED, date(2013, 6, 17)),
    ("M12", "Besluttet", "Besluttet ny organisasjons- og bemanningsplan og prosedyre for innplassering", date(2013, 6, 19), "", "eier", Status.REACHED, date(2013, 6, 19)),
    ("M13", "Innplassering", "Innplassering av ansatte i ny organisasjon iht. ny organisasjons- og bemanningsplan og prosedyre for innplassering", date(2013, 6, 24), "", "hr", Status.IN_PROGRESS, None),
    ("M14", "Operativ", "Ny organisasjon operativ", date(2013, 8, 19), "Senest 19. august 2013", "leder", Status.PLANNED, None),
    ("M15", "Omstillingssamtaler", "Omstillingssamtale med ansatte som ikke er direkte innplassert", date(2013, 8, 19), "Senest 19. august 2013", "hr", Status.PLANNED, None),
    ("M16", "Ved eventuell overtallighet", "Vedtatte retningslinjer for nedbemanning i Åmot kommune (sak 11/7, vedtatt 18.05.2011 av administrasjonsutvalget) skal benyttes ved eventuell overtallighet", date(2013, 8, 26), "Senest 26. august 2013", "hr", Status.PLANNED, None),
]  # fmt: skip

AMOT_DECISION_POINTS = [
    ("B1", "Mandat besluttet", "Rådmannen beslutter prosjektets mandat", date(2013, 6, 3), "", "eier", Status.REACHED, date(2013, 6, 3)),
    ("B2", "Ny organisering besluttet", "Rådmannen beslutter ny organisering etter drøfting med tillitsvalgte", date(2013, 6, 18), "Senest 18. juni 2013", "eier", Status.REACHED, date(2013, 6, 18)),
    ("B3", "Ny organisering iverksatt", "", date(2013, 8, 19), "Senest 19. august 2013", "eier", Status.PLANNED, None),
]  # fmt: skip

# What depends on what in Åmot's table: the decision waits for the consultation, which waits for
# the plan and the procedure; placement waits for the decision; operation waits for placement.
AMOT_DEPENDENCIES = {
    "M11": ["M9", "M10"],
    "M12": ["M11"],
    "B2": ["M11"],
    "M13": ["M12"],
    "M14": ["M13"],
    "M15": ["M13"],
    "B3": ["M14"],
}

# title, workstream number (1-based), milestone, responsible, due, status
AMOT_ACTIVITIES = [
    ("Beskrive løsningsforslag og 0-alternativ for skoler og barnehager", 1, "M3", "leder", date(2013, 5, 10), Activity.Status.DONE),
    ("Beskrive løsningsforslag for helse, kultur og NAV", 2, "M3", "medlem", date(2013, 5, 10), Activity.Status.DONE),
    ("Beskrive løsningsforslag for teknisk, næring og brann", 3, "M3", "medlem", date(2013, 5, 10), Activity.Status.DONE),
    ("Kartlegge arbeidsprosessene i virksomhetsstøtten", 4, "M6", "leder", date(2013, 6, 7), Activity.Status.DONE),
    ("Gapanalyse for økonomi, personal og IKT", 4, "M6", "medlem", date(2013, 6, 10), Activity.Status.DOING),
    ("Avklare oppvekstsentrenes ledelse med rektorer og styrere", 1, "M13", "leder", date(2013, 6, 21), Activity.Status.TODO),
    ("Utrede interkommunalt brannsamarbeid", 3, None, "medlem", date(2013, 8, 1), Activity.Status.TODO),
]  # fmt: skip

VELFERD_MILESTONES = [
    ("M1", "OU-prosjektet etablert", "KD er eier og leder, KDG og KDL er styringsgruppe; prosjektgruppen er satt med stab OSU, stab Velferd og representanter for kommunalsjefer og seksjonsledere", date(2021, 4, 30), "", "eier", Status.REACHED, date(2021, 4, 28), 1),
    ("M2", "Fremdriftsplan med arbeidsstrømmer", "Fremdriftsplan med beskrivelse av arbeidsstrømmer er etablert", date(2021, 6, 30), "Før 1. juli 2021", "leder", Status.REACHED, date(2021, 6, 24), 1),
    ("M3", "Dagens velferdsområder gjennomgått", "Gjennomgått med tanke på bærekraftig ledelse og gjennomføringskraft i BTI-prosjektet og omstilling gjennom tjenestedesign", date(2021, 9, 15), "", "leder", Status.REACHED, date(2021, 9, 20), 2),
    ("M4", "Grensesnittet mellom kommunalsjefområdene beskrevet", "Beskrevet, med eventuell anbefalt justering og antall kommunalsjefer", date(2021, 10, 15), "", "leder", Status.IN_PROGRESS, None, 2),
    ("M5", "Drøftet med tillitsvalgte og hovedverneombud", "Anbefalingen er drøftet med tillitsvalgte og koordinerende hovedverneombud", date(2021, 11, 15), "", "leder", Status.PLANNED, None, 2),
    ("B1", "Anbefaling om fremtidig organisering levert", "Anbefaling om organisering og ledernivåer, med vekt på kommunalsjef- og seksjonsledernivå, er levert styringsgruppen", date(2021, 12, 1), "Siste leveransedato 1. desember 2021", "eier", Status.PLANNED, None, 2),
]  # fmt: skip

VELFERD_DEPENDENCIES = {"M5": ["M3", "M4"], "B1": ["M5"]}

VELFERD_ACTIVITIES = [
    ("Beskrive arbeidsstrømmene i fremdriftsplanen", None, "M2", "leder", date(2021, 6, 25), Activity.Status.DONE),
    ("Statusrapport til styringsgruppen hver tredje uke", None, None, "leder", None, Activity.Status.DOING),
    ("Intervjue kommunalsjefer og seksjonsledere om ledernivåene", None, "M4", "medlem", date(2021, 10, 8), Activity.Status.DOING),
]  # fmt: skip

HELSE_MILESTONES = [
    ("M1", "Sak om framtidens omsorgstjeneste vedtatt", "Rapport fra WSP og forslag om å samle langtidsplassene i institusjon vedtatt i kommunestyret", date(2022, 6, 21), "", "eier", Status.REACHED, date(2022, 6, 21)),
    ("M2", "Konkludert om overordnet organisasjonskart", "Konkludert i samling med enhetslederne (styringsgruppa) på Ballstad", date(2022, 6, 28), "", "leder", Status.REACHED, date(2022, 6, 28)),
    ("M3", "Drøftet med hovedtillitsvalgte", "Forslaget til overordnet organisering er drøftet i drøftingsmøte", date(2022, 7, 6), "", "leder", Status.REACHED, date(2022, 7, 6)),
    ("B1", "Overordnet organisering besluttet", "Besluttet i kommunedirektørens ledergruppe", date(2022, 7, 31), "Juli 2022", "eier", Status.REACHED, date(2022, 7, 29)),
]  # fmt: skip

HELSE_DEPENDENCIES = {"M3": ["M2"], "B1": ["M3"]}

# Seed 004, "Hva er gjort" (done) and "Hva skal nå gjøres" (next). Workstream by name; None for
# the sector as a whole.
HELSE_ACTIVITIES = [
    ("Prosess med ansatte og ledere med workshops, spørreundersøkelse og egen nettside", None, "M2", "leder", date(2022, 6, 15), Activity.Status.DONE),
    ("Utarbeide informasjonsmateriell til enhetene: hvorfor vi gjør dette, hva vi skal gjøre, hvordan vi gjør det", None, None, "leder", None, Activity.Status.DOING),
    ("Oppdatere nettsidene med nye navn på enhetene", None, None, "medlem", None, Activity.Status.TODO),
    ("Utarbeide overordnet organisasjonsplan for sektoren", None, None, "leder", None, Activity.Status.TODO),
    ("Sette opp kompetansekrav for hver enhetslederstilling", None, None, "hr", None, Activity.Status.TODO),
    ("Avklare intern organisering og tilsette enhetsleder", "Forskning, utvikling og innovasjon", None, "leder", None, Activity.Status.TODO),
    ("Etablere prosjektgruppe for flytting til Lekneshagen", "Institusjon", None, "leder", None, Activity.Status.DOING),
    ("Ny organisering i forbindelse med vertskommunesamarbeid", "NAV", None, "medlem", None, Activity.Status.DONE),
    ("Etablere arbeidsgruppe for teambasert tjeneste", "Hverdagsmestring", None, "medlem", None, Activity.Status.DOING),
    ("Bestilling av lokaler til samlokalisert enhet", "Hverdagsmestring", None, "medlem", None, Activity.Status.TODO),
    ("Iverksette intern organisering", "Miljøtjenester", None, "medlem", None, Activity.Status.TODO),
    ("Tilsette enhetsleder", "Bo- og aktivitetssenter", None, "medlem", None, Activity.Status.TODO),
    ("Politisk sak med oppfølging av strategiplanen", "Allmennlegetjenester", None, "leder", None, Activity.Status.TODO),
    ("Etablere arbeidsgruppe for utredning av felles enhet", "Rehabilitering", None, "leder", None, Activity.Status.TODO),
]  # fmt: skip


def _milestones(project, rows, users, admin, kind=Kind.MILESTONE, phases=None) -> dict:
    made = {}
    for row in rows:
        code, title, criterion, due, date_text, responsible, status, reached_on = row[:8]
        phase = phases[row[8] - 1] if phases and len(row) > 8 else (phases[0] if phases else None)
        made[code] = services.save_milestone(
            milestone=Milestone(
                project=project,
                code=code,
                title=title,
                criterion=criterion,
                kind=Kind.DECISION_POINT if code.startswith("B") else kind,
                due_date=due,
                date_text=date_text,
                phase=phase,
                responsible=users[responsible],
                status=status,
                reached_on=reached_on,
            ),
            by=admin,
        )
    return made


def _dependencies(made, dependencies, admin) -> None:
    for code, needs in dependencies.items():
        services.save_milestone(milestone=made[code], depends_on=[made[n] for n in needs], by=admin)


def _activities(project, rows, made, users, admin, workstreams) -> None:
    for title, workstream, milestone, owner, due, status in rows:
        services.save_activity(
            activity=Activity(
                project=project,
                title=title,
                workstream=workstreams.get(workstream),
                milestone=made.get(milestone),
                owner=users[owner],
                due_date=due,
                status=status,
            ),
            by=admin,
        )


def build_progress(project, users, admin) -> bool:
    """Add the project's demo plan if it has none. Returns whether anything was added."""
    if project.milestones.exists() or project.activities.exists():
        return False
    phases = list(project.phases.order_by("order"))
    by_order = {w.order: w for w in project.workstreams.all()}
    by_name = {w.name: w for w in project.workstreams.all()}
    if project.code == "AMOT-ADM":
        made = _milestones(
            project, AMOT_MILESTONES + AMOT_DECISION_POINTS, users, admin, phases=phases[:1]
        )
        _dependencies(made, AMOT_DEPENDENCIES, admin)
        _activities(project, AMOT_ACTIVITIES, made, users, admin, by_order)
    elif project.code == "OU-VELFERD":
        made = _milestones(project, VELFERD_MILESTONES, users, admin, phases=phases)
        _dependencies(made, VELFERD_DEPENDENCIES, admin)
        _activities(project, VELFERD_ACTIVITIES, made, users, admin, {})
    elif project.code == "HELSE-MESTRING":
        made = _milestones(project, HELSE_MILESTONES, users, admin)
        _dependencies(made, HELSE_DEPENDENCIES, admin)
        _activities(project, HELSE_ACTIVITIES, made, users, admin, by_name)
    else:
        return False
    return True
