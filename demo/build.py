"""Demo data for `manage.py load_demo`, built from the three seed documents (/work/shared/seeds/).

The data are module-level constants; a few small functions build them. Every write of domain
data goes through `projects.services`, so history records who did it (the admin user, except
where the owner decides and the leader edits the mandate). The builder is idempotent: users and
organisations are created only when missing and never reset, and a project whose code already
exists in its organisation is skipped entirely, so edits made in the app survive a rerun.

All people are fictitious. The seeds name real people (e.g. the rådmann in seed 001); their
names are not used. Organisation numbers are fictitious too: real Norwegian organisation
numbers begin with 8 or 9, these begin with 1.
"""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from core.history import acting_as
from projects import services
from projects.models import (
    GateCriterion,
    Goal,
    Membership,
    Organisation,
    Phase,
    Project,
    SolutionOption,
    Workstream,
)
from reports import reuse
from reports import services as report_services
from reports.models import ProjectTemplate
from reports.tasks import dispatch_due_reports

from . import closeout, meetings, plans, staffing, steering

Role = Membership.Role

PASSWORD = "reorg-demo"

# --- Users -----------------------------------------------------------------------------------

USERS = [
    {
        "username": "admin",
        "first_name": "Sindre",
        "last_name": "Systemsen",
        "job_title": "Systemadministrator",
    },
    {
        "username": "eier",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "job_title": "Kommunedirektør",
    },
    {
        "username": "leder",
        "first_name": "Ola",
        "last_name": "Nordmann",
        "job_title": "Prosjektleder",
    },
    {
        "username": "styring",
        "first_name": "Ingrid",
        "last_name": "Styrmo",
        "job_title": "Kommunalsjef",
    },
    {
        "username": "medlem",
        "first_name": "Martin",
        "last_name": "Medli",
        "job_title": "Rådgiver",
    },
    {
        "username": "hr",
        "first_name": "Hilde",
        "last_name": "Personli",
        "job_title": "HR-rådgiver",
    },
    {
        "username": "tillitsvalgt",
        "first_name": "Tone",
        "last_name": "Tillerli",
        "job_title": "Hovedtillitsvalgt, Fagforbundet",
    },
    {
        "username": "verneombud",
        "first_name": "Vidar",
        "last_name": "Vernø",
        "job_title": "Hovedverneombud",
    },
    # The steering group of seed 000: KD (the owner, `eier`) with KDG and KDL.
    {
        "username": "kdg",
        "first_name": "Gro",
        "last_name": "Dalheim",
        "job_title": "Kommunaldirektør (KDG)",
    },
    {
        "username": "kdl",
        "first_name": "Leif",
        "last_name": "Kommedal",
        "job_title": "Kommunaldirektør (KDL)",
    },
    # Belongs to another municipality only: sees none of the three seed projects.
    {
        "username": "utenfor",
        "first_name": "Ulf",
        "last_name": "Utgarden",
        "job_title": "Kommunedirektør",
    },
]

SUPERUSERS = {"admin"}
# May start new projects in the browser (the administrator grants projects.add_project).
PROJECT_STARTERS = {"eier", "leder", "utenfor"}

# The users who are in all three seed organisations and projects (besides owner and leader).
STAFF = ["admin", "eier", "leder", "styring", "medlem", "hr", "tillitsvalgt", "verneombud"]

# Roles in each of the three seed projects; owner (eier) and leader (leder) are set when the
# project is created. (username, role, union name)
TEAM = [
    ("styring", Role.STEERING, ""),
    ("medlem", Role.PROJECT_GROUP, ""),
    ("hr", Role.HR, ""),
    ("tillitsvalgt", Role.UNION_REP, "Fagforbundet"),
    ("verneombud", Role.SAFETY_REP, ""),
]

# --- Organisations ---------------------------------------------------------------------------

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "amot": {"name": "Åmot kommune", "org_number": "100000001", "members": STAFF},
    # Fictitious: seed 000 does not name its municipality.
    "fjordvik": {
        "name": "Fjordvik kommune",
        "org_number": "100000002",
        "members": [*STAFF, "kdg", "kdl"],
    },
    "vestvagoy": {"name": "Vestvågøy kommune", "org_number": "100000003", "members": STAFF},
    # Fictitious: a separate municipality, to show that nothing is visible across organisations.
    "nabodal": {"name": "Nabodal kommune", "org_number": "100000004", "members": ["utenfor"]},
}

# The mandate's text sections and the section names the change log shows (as projects.forms).
MANDATE_SECTIONS = [
    ("background", "Bakgrunn"),
    ("purpose", "Hensikt og kort beskrivelse"),
    ("constraints", "Rammebetingelser og føringer"),
    ("obligations", "Organisasjonens forpliktelser overfor prosjektet"),
    ("quality_requirements", "Kvalitet"),
]

ZERO_ALTERNATIVE = "0-alternativet: dagens organisering beholdes"

# --- Seed 001: Åmot kommune, project mandate 2013 --------------------------------------------

AMOT_BACKGROUND = """\
I Åmot kommunes «Kommunal planstrategi 2013–2015 med utfordringsdokument» heter det:

«4.3.2 Planbehov
Det er behov for en gjennomgang av organisering av kommunens administrative ledelse for å \
sikre større effektivitet og samordning som kan gi bedre strategisk styring, forestå \
utviklingsarbeid samt sikre bedre utnyttelse av ressursene. Parallelt med dette kan det være \
fornuftig med en gjennomgang av den politiske organisasjonsstrukturen.»

Plandokumentet peker på at den administrative ledergruppen er stor og med fokus på løpende \
drift. En ønsker derfor å utvikle en ledergruppe som kan tenke strategisk utvikling og styring. \
En framtidig endring av kommunens administrasjon vil påvirke hele den kommunale organisasjonen \
og vil berøre både det politiske nivå, alle ansatte og kommunens innbyggere i siste instans. Det \
er derfor viktig at man legger opp til en prosess som involverer de berørte og sikrer \
medvirkning på alle nivå.

I mange kommuner med en 2-nivåmodell har man sett at denne har noen iboende utfordringer. \
Kontrollspennet mellom rådmann og virksomhetsledere kan bli for stort. Støtte og oppfølging av \
virksomhetsledere kan bli liten, enten fordi man har for mange å følge opp, eller fordi man ikke \
har nødvendig kompetanse sentralt. Man får et fokus på løpende drift, ikke på strategisk \
tenkning. Løsningen på disse utfordringene har i mange kommuner vært å styrke den overordnede \
ledelsen for å fylle det mangfold av oppgaver som denne ledelsen har."""

AMOT_PURPOSE = """\
Hovedutfordringene i linjen og problemstillingene som prosjektet skal bidra til å løse:
- Tydeliggjøre administrasjonens mål, strategier og hovedprosesser
- Tydeliggjøre skillet mellom strategi og drift
- Bedre utnyttelsen av ressursene, herunder effektivisere og samordne

Hensikten med prosjektet: Prosjektet er todelt.

I fase 1 skal det etableres et prosjekt som skal gjennomgå, utrede og iverksette organiseringen \
av kommunens øverste ledelse og komme med forslag til forbedringer. Prosjektet skal utvikles med \
basis i pkt. 4.3 i den kommunale planstrategien 2013–2015 for Åmot kommune. Fase 1 gir en \
midlertidig løsning, ferdigstilt innen 26.08.2013.

Fase 2 handler om å:
- koordinere med samfunnsdelen i planstrategien
- evaluere midlertidig organisering og endelig beslutte ny struktur
- utvikle kommunen til en lærende organisasjon, der man både tenker kompetanseutvikling og bruk \
av kompetanse på tvers. Det søkes å involvere flest mulig av kommunens ansatte.

Fase 2 ferdigstilles innen 31.12.2013.

Overordnet om hvordan fase 1 skal gjennomføres. Hovedaktivitetene i den videre prosessen:
- Beskrive nåsituasjonen innenfor hver arbeidsstrøm
- Beskrive fremtidig situasjon innenfor hver arbeidsstrøm
- Tiltak: hvilke tiltak må iverksettes innenfor arbeidsstrømmens enheter/virksomheter for å \
sikre overgangen mellom nåsituasjon og fremtidig situasjon
- Definere kompetansebehov og gjennomføre kompetansekartlegging
- Lage forslag til organisasjons- og bemanningsplan med rollebeskrivelser
- Drøfte forslaget med de tillitsvalgte
- Organisasjons- og bemanningsplanen med rollebeskrivelser besluttes av rådmannen
- Ansatte innplasseres i ny organisasjon

Organisering i fase 1: Styringsgruppa har det overordnede styringsansvaret for prosjektet og gir \
mandat og arbeidsoppgaver til arbeidsgrupper der dette er nødvendig. Prosjektlederen rapporterer \
til styringsgruppa. Arbeidet er delt i fire arbeidsstrømmer:
- Arbeidsstrøm 1: Skoler/barnehager
- Arbeidsstrøm 2: Helse (hjemmetjeneste, institusjon, RHF), kultur, NAV
- Arbeidsstrøm 3: Teknisk, næring, brann
- Arbeidsstrøm 4: Virksomhetsstøtte: økonomi, personal, IKT, IS, planavdeling, \
kontrollsekretariat"""

# After the mandate is decided, the leader makes the correction the change log at the top of
# seed 001 records: the first point of phase 2 is coordination with the community part of the
# municipal master plan (kommuneplanen), not of the planning strategy.
AMOT_PURPOSE_AMENDED = AMOT_PURPOSE.replace(
    "samfunnsdelen i planstrategien", "samfunnsdelen i kommuneplanen"
)

AMOT_CONSTRAINTS = """\
Føringer for virksomhetsutviklingsprosessen:

Delprosjektene/arbeidsstrømmene må utvise godt skjønn, skape medvirkning, vise omsorg og respekt \
for enkeltpersoner, og være forberedt på ulike følelsesmessige reaksjoner som kan oppstå, \
kombinert med saklige vurderinger.

Organisering av ansvar og oppgaver skal understøtte tydeligere prioritering av kommunens \
oppgaver og initiativer, og baseres på «Styringsverktøy for ledere». Det skal fokuseres på \
følgende:
- Økt kvalitet
- Forenkle organisering
- Tydeligere roller og ansvar
- Mer delegering av oppgaveløsning
- Tydeligere prioritering
- Forbedrede, tydelige arbeidsprosesser
- Bedre arbeidskultur

Ledergruppen skal være en liten strategisk enhet:
- Arbeidsstrømmene i prosjektet skal ha minimum 2 (hvorav den ene skal være 0-alternativet) og \
maksimum 4 løsningsforslag for å flytte nåværende funksjoner/oppgaver, herunder å tilpasse \
antall ansatte til de prioriterte ledelsesoppgavene.
- Ledere på alle nivåer skal delegeres ansvar og myndiggjøres i sterkere grad enn i dag.
- Funksjoner/oppgaver skal flyttes, og antall personer i ledergruppen skal tilpasses de \
prioriterte oppgavene.

Prosjektet skal bidra til å videreutvikle en felles kultur for Åmot kommune.

Prosjektet skal i sine forslag legge vekt på at ledere på alle nivåer skal opptre:
- Ansvarlig: All lederatferd må ha sitt utgangspunkt i den totale virksomhetens verdier, mål og \
ressursgrunnlag.
- Handlekraftig: Ledere må ha mot og evne til å utøve lederskap, blant annet ved å gjennomføre \
nødvendige prosesser i samarbeid med sine medarbeidere.
- Endringsvillig: Ledere må møte nye utfordringer og utvikling gjennom kontinuerlige \
endringsprosesser og ikke minst gjennom kompetanseheving hos medarbeiderne.
- Kommuniserende: Ledere må kunne formidle budskap og profil med tydelighet, opptre med \
legitimitet og vinne tillit både internt og eksternt.
- Inspirerende: Ledere må opptre med humør, ærlighet og toleranse, og samtidig stille krav til \
medarbeidere om å oppnå resultater.
- Helhetstenkende: Ledere må se sin virksomhet som en del av et større hele, det vil si \
profesjonsuavhengig og uavhengig av den enheten man er satt til å lede.

Dyktige ledere er avgjørende for driften av virksomheten. Saklig utvelgelse blant ledere vil \
derfor bety at kvalifikasjoner og personlige egenskaper som regel veier tyngre enn ansiennitet. \
De spesielle kravene til lederstillinger gjør altså at kvalifikasjoner og personlig egnethet vil \
veie tyngre enn ved innplassering i andre stillinger.

Gjennomføringen av selve omstillingen skal utføres med en tydelig beskrivelse av hvilke av de \
gamle arbeidsoppgavene hver enkelt arbeidstaker ikke skal gjøre, eller skal utføre på en ny \
måte."""

AMOT_OBLIGATIONS = (
    "Alle relevante spørsmål som kommer enkeltvis fra prosjektets arbeidsstrømmer, samles og "
    "besvares til alle arbeidsstrømmene."
)

AMOT_QUALITY = "Prosessen må gjennomføres innenfor de rammer lov og avtaleverk setter."

# One goal per line: the goals form edits them as lines of text.
AMOT_RESULT_GOALS = [
    "Beskrive både «nåværende» og «fremtidige» arbeidsprosesser, samt gjennomføre gapanalyse, "
    "for hovedprosesser (for eksempel strategi og mål, budsjett, rapportering og oppfølging) og "
    "for delprosesser under hovedprosessene (for eksempel utarbeide hovedstrategi, "
    "langtidsbudsjett, neste års budsjett, månedsrapportering, risikovurderinger, oppfølging av "
    "internkontroll, følge opp og evaluere strategiske initiativ og mål)",
    "Definere, spesifisere og prioritere oppgaver",
    "Definere kompetansebehov: kompetansekravene til de respektive stillingene tydeliggjøres og "
    "beskrives",
    "Utarbeide rollebeskrivelser og ansvars- og myndighetsbeskrivelser, herunder personalansvar, "
    "budsjettansvar, fagansvar og særskilte oppgaver",
    "Gjennomført kompetansekartlegging",
    "Konkrete forslag til tiltak for å sikre ledelsesutvikling og lederstøtte på alle "
    "ledernivåer. Det skal også etableres en prosess for kompetanseutvikling av ledergruppen som "
    "helhet.",
]

AMOT_EFFECT_GOALS = [
    "En administrativ modell som er effektiv og samordnet, og som dermed sikrer god strategisk "
    "styring, herunder en lederstruktur som er godt tilpasset Åmot kommunes mål, strategier og "
    "hovedprosesser, og en profesjonalisert ledergruppe med forutsigbare og effektive "
    "ledelsesprosesser",
    "En administrativ modell som forestår utviklingsarbeid",
    "En administrativ modell som sikrer bedre utnyttelse av ressursene",
    "En administrativ modell som videreutvikler en lærende organisasjon",
    "Tydeligere roller og ansvar",
    "Mer delegering av oppgaveløsning",
    "Tydeligere prioritering",
    "Forbedrede og tydeliggjorte arbeidsprosesser",
    "Bedre arbeidskultur",
    "Bedre effektivitet",
    "Økt strategisk fokus",
    "Økt kvalitet",
]

# Section 4.3 names the benefits; indicator, baseline, target, unit and owner are derived for
# the demo (plausible, not from the seed).
AMOT_BENEFITS = [
    {
        "title": "Forenklet organisering",
        "indicator": "Tid brukt i ledermøter per måned",
        "baseline": "12",
        "target": "8",
        "unit": "timer",
        "owner": "Rådmann",
    },
    {
        "title": "Tydeligere prioritering",
        "indicator": "Andel prioriterte mål i handlingsprogrammet som nås",
        "baseline": "60",
        "target": "80",
        "unit": "%",
        "owner": "Rådmann",
    },
    {
        "title": "Mer strategisk ledelse (blant annet ikke driftssaker på ledermøter)",
        "indicator": "Andel saker på ledermøtene som gjelder strategi og utvikling",
        "baseline": "30",
        "target": "70",
        "unit": "%",
        "owner": "Rådmann",
    },
    {
        "title": "Veldefinerte oppgaver (rolle og ansvar) og tydelig skille mellom drift "
        "og strategi",
        "indicator": "Andel lederstillinger med oppdatert rollebeskrivelse",
        "baseline": "20",
        "target": "100",
        "unit": "%",
        "owner": "Personalsjef",
    },
    {
        "title": "Målrettet kompetanseutvikling",
        "indicator": "Andel ledere med individuell kompetanseplan",
        "baseline": "10",
        "target": "90",
        "unit": "%",
        "owner": "Personalsjef",
    },
    {
        "title": "Bedre økonomistyring og tydeligere økonomiansvar",
        "indicator": "Avvik mellom budsjett og regnskap for virksomhetene",
        "baseline": "4",
        "target": "1",
        "unit": "%",
        "owner": "Økonomisjef",
    },
    {
        "title": "Økt strategisk kompetanse",
        "indicator": "Ledere som har gjennomført lederutviklingsprogram",
        "baseline": "0",
        "target": "12",
        "unit": "ledere",
        "owner": "Personalsjef",
    },
    {
        "title": "Økt tverrfaglig utnyttelse av organisasjonen",
        "indicator": "Tverrfaglige prosjekter og team på tvers av virksomheter",
        "baseline": "2",
        "target": "6",
        "unit": "antall",
        "owner": "Rådmann",
    },
    {
        "title": "Bedre tjenester til brukere og innbyggere",
        "indicator": "Innbyggernes samlede tilfredshet med tjenestene (innbyggerundersøkelse)",
        "baseline": "4,2",
        "target": "4,6",
        "unit": "skår (1–6)",
        "owner": "Rådmann",
    },
    {
        "title": "Bedre omdømme",
        "indicator": "Andel innbyggere med godt inntrykk av kommunen (omdømmemåling)",
        "baseline": "55",
        "target": "70",
        "unit": "%",
        "owner": "Rådmann",
    },
]

AMOT_PHASES = [
    {
        "name": "Fase 1: Midlertidig løsning",
        "goal": "Gjennomgå, utrede og iverksette organiseringen av kommunens øverste ledelse og "
        "komme med forslag til forbedringer. Midlertidig løsning ferdigstilt innen 26.08.2013.",
        "start_date": date(2013, 4, 1),
        "end_date": date(2013, 8, 26),
    },
    {
        "name": "Fase 2: Ny struktur og lærende organisasjon",
        "goal": "Koordinere med samfunnsdelen, evaluere den midlertidige organiseringen og "
        "endelig beslutte ny struktur, og utvikle kommunen til en lærende organisasjon. "
        "Ferdigstilt innen 31.12.2013.",
        "start_date": date(2013, 8, 27),
        "end_date": date(2013, 12, 31),
    },
]

# The gates between the phases (issue 16): per phase, its checklist ((criterion, ticked, note)),
# and whether the leader submitted it and the owner approved it. Phase 1 (the interim solution)
# was approved when it ended, after the mandate was decided; phase 2 is under way, its first
# criteria met. As for the mandate, the consultation was held before reorg: the approval says so.
AMOT_GATES = [
    {
        "criteria": [
            ("Mandatet er besluttet", True, "Besluttet av rådmannen 03.06.2013 (versjon 1)."),
            (
                "Den midlertidige organiseringen er drøftet med tillitsvalgte og verneombud",
                True,
                "Drøftet med hovedtillitsvalgte og hovedverneombudet 20.08.2013.",
            ),
            ("Den midlertidige løsningen er iverksatt", True, ""),
        ],
        "submitted": "Den midlertidige løsningen er på plass fra 26.08.2013. Jeg ber om at "
        "fase 1 godkjennes, slik at arbeidet med ny struktur kan starte.",
        "approval": {
            "decided_on": date(2013, 8, 26),
            "comment": "Fase 1 godkjennes. Evalueringen av den midlertidige organiseringen "
            "legges fram for styringsgruppen i oktober.",
            "no_protocol_reason": "Den midlertidige organiseringen ble drøftet med "
            "hovedtillitsvalgte og hovedverneombudet i møte 20.08.2013, før prosjektet tok i "
            "bruk reorg. Protokollen ligger i kommunens arkiv.",
        },
    },
    {
        "criteria": [
            (
                "Evalueringen av den midlertidige organiseringen er lagt fram",
                True,
                "Lagt fram for styringsgruppen 15.10.2013.",
            ),
            ("Organisasjonsplanen er drøftet med tillitsvalgte", True, ""),
            ("Ny struktur er besluttet av kommunestyret", False, ""),
            ("Innplasseringene er gjennomført", False, ""),
        ],
    },
]

# Solution options are proposals made up for the demo, following the rule of section 5.1.
AMOT_WORKSTREAMS = [
    {
        "name": "Arbeidsstrøm 1: Skoler/barnehager",
        "units": "Skoler og barnehager",
        "lead": "leder",
        "ready": True,
        "options": [
            {
                "title": ZERO_ALTERNATIVE,
                "description": "Rektorer og styrere fortsetter som egne virksomhetsledere og "
                "rapporterer direkte til rådmannen, som i dag.",
                "zero": True,
            },
            {
                "title": "Kommunalsjef for oppvekst",
                "description": "Skoler og barnehager samles under en kommunalsjef for oppvekst "
                "i rådmannens ledergruppe. Rektorer og styrere rapporterer til kommunalsjefen, "
                "og ledergruppen blir mindre.",
            },
            {
                "title": "Oppvekstsentre med felles ledelse",
                "description": "Skole og barnehage i samme krets slås sammen til oppvekstsentre "
                "med én leder. Lederne for oppvekstsentrene rapporterer til en kommunalsjef for "
                "oppvekst.",
            },
        ],
    },
    {
        "name": "Arbeidsstrøm 2: Helse (hjemmetjeneste, institusjon, RHF), kultur, NAV",
        "units": "Hjemmetjeneste, institusjon, RHF, kultur, NAV",
        "lead": "medlem",
        "ready": False,
        "options": [
            {
                "title": ZERO_ALTERNATIVE,
                "description": "Hjemmetjeneste, institusjon, RHF, kultur og NAV organiseres som "
                "i dag.",
                "zero": True,
            },
            {
                "title": "Kommunalsjef for helse og omsorg",
                "description": "Hjemmetjeneste, institusjon og RHF samles under en kommunalsjef "
                "for helse og omsorg. Kultur og NAV beholder dagens rapporteringslinje.",
            },
        ],
    },
    {
        "name": "Arbeidsstrøm 3: Teknisk, næring, brann",
        "units": "Teknisk, næring, brann",
        "lead": "medlem",
        "ready": True,
        "options": [
            {
                "title": ZERO_ALTERNATIVE,
                "description": "Teknisk, næring og brann organiseres som i dag.",
                "zero": True,
            },
            {
                "title": "Felles enhet for samfunnsutvikling",
                "description": "Teknisk og næring samles i én enhet for samfunnsutvikling med én "
                "leder i ledergruppen. Brann blir en egen avdeling i enheten.",
            },
            {
                "title": "Samfunnsutvikling og interkommunalt brannsamarbeid",
                "description": "Teknisk og næring samles som i forslaget over, og det utredes å "
                "legge brann- og redningstjenesten til et interkommunalt brannvesen.",
            },
        ],
    },
    {
        "name": "Arbeidsstrøm 4: Virksomhetsstøtte: økonomi, personal, IKT, IS, planavdeling, "
        "kontrollsekretariat",
        "units": "Økonomi, personal, IKT, IS, planavdeling, kontrollsekretariat",
        "lead": "leder",
        "ready": False,
        "options": [
            {
                "title": ZERO_ALTERNATIVE,
                "description": "Økonomi, personal, IKT, IS, planavdeling og kontrollsekretariat "
                "organiseres som i dag.",
                "zero": True,
            },
            {
                "title": "Samlet stab for virksomhetsstøtte",
                "description": "Økonomi, personal, IKT og IS samles i én stab under en stabssjef i "
                "rådmannens ledergruppe. Planavdelingen og kontrollsekretariatet beholder dagens "
                "plassering.",
            },
        ],
    },
]

AMOT = {
    "organisation": "amot",
    "code": "AMOT-ADM",
    "name": "Bedret ressursutnyttelse, kvalitet og effektivitet i kommunens administrasjon "
    "– Fase 1",
    "owner": "eier",
    "leader": "leder",
    "start_date": date(2013, 4, 1),
    "fields": {
        "owner_title": "Rådmann",
        "status": Project.Status.ACTIVE,
        "last_delivery_date": date(2013, 8, 26),
    },
    "members": TEAM,
    "mandate": {
        "background": AMOT_BACKGROUND,
        "purpose": AMOT_PURPOSE,
        "constraints": AMOT_CONSTRAINTS,
        "obligations": AMOT_OBLIGATIONS,
        "quality_requirements": AMOT_QUALITY,
    },
    "result_goals": AMOT_RESULT_GOALS,
    "effect_goals": AMOT_EFFECT_GOALS,
    "benefits": AMOT_BENEFITS,
    "phases": AMOT_PHASES,
    "workstreams": AMOT_WORKSTREAMS,
    # The leader sends the mandate to the owner, who decides it (version 1) on 3 June 2013; the
    # consultation on it was held before reorg, so the decision gives the reason. Then the leader
    # edits it: "Besluttet v1 · utkast til v2".
    "decided_by": "eier",
    "decision": {
        "decided_on": date(2013, 6, 3),
        "comment": "Mandatet vedtas som foreslått. Fase 2 konkretiseres etter evalueringen.",
        "no_protocol_reason": "Mandatet ble drøftet med hovedtillitsvalgte og "
        "hovedverneombudet i møte 29.05.2013, før prosjektet tok i bruk reorg. Protokollen "
        "ligger i kommunens arkiv.",
    },
    "amendment": {
        "by": "leder",
        "section": "Hensikt og kort beskrivelse",
        "values": {"purpose": AMOT_PURPOSE_AMENDED},
    },
    "gates": AMOT_GATES,
}

# --- Seed 000: OU project for Velferd, 2021 (fictitious municipality) -------------------------

VELFERD_BACKGROUND = """\
Midlertidig organisering og ledelse, oppdatert per 19.04.2021.

Hovedtrekk:
- Midlertidig organisering speiler kun behovet for oppfølging og ledelse av politikkområdet \
Velferd inntil OU-prosjektet er gjennomført.
- Kommunaldirektørene støtter KD på utvalgte områder.
- Kommunalsjef- og seksjonsledernivået er som i dag.
- Det etableres et OU-prosjekt for utredning av fremtidig organisering, spesielt med tanke på \
antall ledernivåer.

Midlertidig løsning:
- KD følger opp politisk utvalg BIOM.
- KD ivaretar oppfølging og personalansvar for kommunalsjefene PLO og HESO.
- Kommunaldirektør OSU følger opp politisk utvalg BAUN.
- Kommunaldirektør OSU ivaretar oppfølging og personalansvar for kommunalsjefene for oppvekst \
(skole og barnehage).

KDG følger samlet opp klageutvalget og kontrollutvalget ut fra behov og tema, som tidligere."""

VELFERD_PURPOSE = """\
Det etableres et OU-prosjekt for å utrede fremtidig organisering, gitt ambisjonen om reduserte \
ledernivåer.

OU-prosjektet skal anbefale en organisering som sikrer både effektive tjenester med god kvalitet \
og kapasitet til omstilling gjennom tjenestedesign. Det skal anbefale hvordan ledernivåene skal \
organiseres, med særlig vekt på kommunalsjef- og seksjonsledernivået, gjennomgå dagens \
velferdsområder og beskrive grensesnittet mellom kommunalsjefområdene."""

VELFERD_CONSTRAINTS = """\
Rammer for OU-prosjektet:
- KD er eier og leder av OU-prosjektet og styringsgruppen.
- KDG og KDL er styringsgruppe.
- Kommunaldirektør OSU koordinerer prosjektet og leder prosjektgruppen. Stab OSU og stab \
Velferd bidrar inn i prosjektgruppen sammen med representanter for kommunalsjefer og \
seksjonsledere.
- Tillitsvalgte og koordinerende hovedverneombud deltar i styringsgruppen.
- Prosjektet skal ha en smidig arbeidsform og rapportere fremdrift, status og eventuelle \
beslutningsgrunnlag hver 3. uke.
- Fremdriftsplan med beskrivelse av arbeidsstrømmer etableres før 1. juli 2021. Prosjektet har \
siste leveransedato 1. desember 2021."""

VELFERD_RESULT_GOALS = [
    "Anbefale organisering for å sikre både effektive tjenester med god kvalitet og kapasitet "
    "til omstilling gjennom tjenestedesign",
    "Anbefale fremtidig organisering av ledernivåene i organisasjonen, med spesiell "
    "oppmerksomhet på kommunalsjef- og seksjonsledernivået",
    "Gjennomgå dagens velferdsområder, spesielt med tanke på bærekraftig ledelse og "
    "gjennomføringskraft i BTI-prosjektet og omstilling gjennom tjenestedesign",
    "Beskrive og eventuelt anbefale justering av grensesnittet mellom kommunalsjefområdene, "
    "herunder antall kommunalsjefer",
]

VELFERD_PHASES = [
    {
        "name": "Oppstart og fremdriftsplan",
        "goal": "Fremdriftsplan med beskrivelse av arbeidsstrømmer er etablert før 1. juli 2021.",
        "start_date": date(2021, 4, 19),
        "end_date": date(2021, 6, 30),
    },
    {
        "name": "Utredning og anbefaling",
        "goal": "Anbefaling om fremtidig organisering og ledernivåer er levert innen 01.12.2021.",
        "start_date": date(2021, 7, 1),
        "end_date": date(2021, 12, 1),
    },
]

VELFERD = {
    "organisation": "fjordvik",
    "code": "OU-VELFERD",
    "name": "OU-prosjekt Velferd: fremtidig organisering og ledelse",
    "owner": "eier",
    "leader": "leder",
    "start_date": date(2021, 4, 19),
    "fields": {
        "owner_title": "Kommunedirektør (KD)",
        "status": Project.Status.ACTIVE,
        "last_delivery_date": date(2021, 12, 1),
        "report_interval_days": 21,
    },
    "members": [*TEAM, ("kdg", Role.STEERING, ""), ("kdl", Role.STEERING, "")],
    "mandate": {
        "background": VELFERD_BACKGROUND,
        "purpose": VELFERD_PURPOSE,
        "constraints": VELFERD_CONSTRAINTS,
    },
    "result_goals": VELFERD_RESULT_GOALS,
    "phases": VELFERD_PHASES,
    # The leader has sent the mandate to the owner, who has not decided it yet: the owner's task.
    "submitted": "Mandatet er oppdatert etter styringsgruppens møte 24. juni. Jeg ber om at det "
    "besluttes før arbeidsstrømmene starter opp etter ferien.",
    # Phase 1 under way; its gate waits for the decided mandate.
    "gates": [
        {
            "criteria": [
                ("Fremdriftsplanen er lagt fram for styringsgruppen", True, ""),
                ("Mandatet er besluttet", False, ""),
                ("Arbeidsstrømmene er bemannet", False, ""),
            ],
        },
    ],
}

# --- Seed 004: Vestvågøy kommune, sector Helse og mestring, 2021–2022 --------------------------

HELSE_BACKGROUND = """\
Sektor Helse og mestring har det siste halvannet året hatt en større organiseringsprosess, med \
involvering av ledere, ansatte og tillitsvalgte. Dokumentene fra prosessen ligger på kommunens \
hjemmeside.

I juni 2022 ble forslag til overordnet organisering av sektoren lagt fram, i form av forslag til \
overordnet organisasjonskart og notat med beskrivelse av endringene. Forslaget ble drøftet med \
fagforeningene i møte 6. juli 2022. Etter dette ga kommunedirektøren sin tilslutning til \
forslaget. Den overordnede organiseringen av sektoren (inndeling i enheter mv.) anses dermed som \
besluttet.

Kommunestyret behandlet 21. juni 2022 også sak om institusjonsplasser, der det ble besluttet å \
samle langtidsplassene på Lekneshagen."""

HELSE_PURPOSE = """\
Prosjektet fører organiseringsprosessen i sektor Helse og mestring videre, fra besluttet \
overordnet organisasjonskart til ny organisering i drift på hver enhet:
- Videre forankring av beslutning om overordnet organisasjonskart for sektoren
- Utarbeidelse av overordnet organisasjonsplan for sektoren
- Videre prosess med intern organisering på den enkelte enhet
- Videre prosesser med personellmessige avklaringer

Hvert steg drøftes med fagforeningene."""

HELSE_CONSTRAINTS = """\
- Den overordnede organiseringen av sektoren (inndeling i enheter mv.) er besluttet.
- Langtidsplassene i institusjon samles på Lekneshagen, etter vedtak i kommunestyret 21.06.2022.
- Personellmessige avklaringer skal ivareta både hensynet til berørte ledere, hensynet til \
tjenesten (innbygger- og brukerperspektiv) og behovet akkurat nå på den aktuelle enheten (fokus \
på drift, endring, utvikling osv.).
- Berørte ledere følges opp med samtaler med hver enkelt og drøftinger med fagforeningene."""

HELSE_RESULT_GOALS = [
    "Informasjonsmateriell til bruk på enhetene og avdelingene, med fokus på hvorfor vi gjør "
    "dette, hva vi skal gjøre og hvordan vi gjør det",
    "Oppdaterte nettsider, både egen side om organiseringsprosessen og informasjon om sektoren "
    "for øvrig, med nye navn på enhetene",
    "Overordnet organisasjonsplan for sektoren, med utfordringer, mål og strategier, oppgaver, "
    "enheter med funksjoner og formål, og stillingsbeskrivelser for enhetsledere og rådgivere i "
    "stab",
    "Egne organisasjonsplaner for hver av de 8 enhetene, som utdyper funksjoner og formål for "
    "enheten (med et klart brukerfokus), med stillingsbeskrivelser for ansatte på enheten",
    "Avklart intern organisering på hver enhet",
    "Kompetansekrav for hver enkelt av enhetslederstillingene, og en vurdering av hvem som kan ha "
    "rettskrav på stillingen",
    "Personellmessige avklaringer fulgt opp med samtaler med hver enkelt og drøftinger med "
    "fagforeningene",
]

HELSE_WORKSTREAMS = [
    {
        "name": "Forskning, utvikling og innovasjon",
        "units": "Enhet Forskning, utvikling og innovasjon\n"
        "Hva skal nå gjøres: avklare intern organisering, tilsette enhetsleder.",
        "lead": "leder",
    },
    {
        "name": "Institusjon",
        "units": "Enhet Institusjon\n"
        "Hva skal nå gjøres: etablere prosjektgruppe for flytting, avklare intern organisering, "
        "tilsette enhetsleder.",
        "lead": "leder",
    },
    {
        "name": "NAV",
        "units": "Enhet NAV\n"
        "Hva skal nå gjøres: har gjennomført ny organisering i forbindelse med "
        "vertskommunesamarbeid.",
        "lead": "medlem",
    },
    {
        "name": "Hverdagsmestring",
        "units": "Enhet Hverdagsmestring\n"
        "Hva skal nå gjøres: etablere arbeidsgruppe for implementering av teambasert tjeneste, "
        "utarbeide bestilling for lokaler til samlokalisert enhet, starte opp team "
        "(kreft/palliasjon, demens, innsatsteam/forsterket helsehjelp).",
        "lead": "medlem",
    },
    {
        "name": "Miljøtjenester",
        "units": "Enhet Miljøtjenester\n"
        "Hva skal nå gjøres: iverksette intern organisering, avklaringer om enhetsleder.",
        "lead": "medlem",
    },
    {
        "name": "Bo- og aktivitetssenter",
        "units": "Enhet Bo- og aktivitetssenter\n"
        "Hva skal nå gjøres: intern organisering er avklart, tilsette enhetsleder.",
        "lead": "medlem",
    },
    {
        "name": "Allmennlegetjenester",
        "units": "Enhet Allmennlegetjenester\n"
        "Hva skal nå gjøres: avklare intern organisering, avklaringer om enhetsleder, politisk "
        "sak med oppfølging av strategiplanen.",
        "lead": "leder",
    },
    {
        "name": "Rehabilitering",
        "units": "Enhet Rehabilitering\n"
        "Hva skal nå gjøres: etablere arbeidsgruppe for utredning av felles enhet, avklaringer "
        "om personell.",
        "lead": "leder",
    },
]

HELSE = {
    "organisation": "vestvagoy",
    "code": "HELSE-MESTRING",
    "name": "Organisering av sektor Helse og mestring",
    "owner": "eier",
    "leader": "leder",
    "start_date": date(2021, 1, 4),
    "fields": {"owner_title": "Kommunedirektør", "status": Project.Status.ACTIVE},
    "members": TEAM,
    "mandate": {
        "background": HELSE_BACKGROUND,
        "purpose": HELSE_PURPOSE,
        "constraints": HELSE_CONSTRAINTS,
    },
    "result_goals": HELSE_RESULT_GOALS,
    "workstreams": HELSE_WORKSTREAMS,
}

# --- A fictitious neighbour: its own project, invisible to the users above ----------------------

NABO = {
    "organisation": "nabodal",
    "code": "NABO-SERVICE",
    "name": "Felles servicetorg",
    "owner": "utenfor",
    "leader": "utenfor",
    "start_date": date(2024, 9, 2),
    "fields": {"owner_title": "Kommunedirektør", "status": Project.Status.DRAFT},
    "members": [],
    "mandate": {
        "background": "Et fiktivt demoprosjekt i en annen kommune. Det viser at prosjekter ikke "
        "er synlige på tvers av organisasjoner: brukerne i de tre andre demokommunene ser det "
        "ikke, og brukeren «utenfor» ser ingen av deres prosjekter.",
    },
}

PROJECTS: list[dict[str, Any]] = [AMOT, VELFERD, HELSE, NABO]


# --- Builders ----------------------------------------------------------------------------------


def ensure_users(summary) -> dict:
    """Every demo user by username; missing ones are created with the demo password. Existing
    users are left exactly as they are (name, password and all)."""
    User = get_user_model()
    users = {}
    for data in USERS:
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            create = (
                User.objects.create_superuser
                if data["username"] in SUPERUSERS
                else User.objects.create_user
            )
            user = create(
                username=data["username"],
                email=f"{data['username']}@example.no",
                password=PASSWORD,
                first_name=data["first_name"],
                last_name=data["last_name"],
                job_title=data["job_title"],
            )
            if data["username"] in PROJECT_STARTERS:
                user.user_permissions.add(Permission.objects.get(codename="add_project"))
            summary["users"].append(user.username)
        users[user.username] = user
    return users


def ensure_organisation(key, admin, summary) -> Organisation:
    data = ORGANISATIONS[key]
    organisation = Organisation.objects.filter(org_number=data["org_number"]).first()
    if organisation is None:
        with acting_as(admin):
            organisation = Organisation(name=data["name"], org_number=data["org_number"])
            organisation.full_clean()
            organisation.save()
        summary["organisations"].append(organisation.name)
    return organisation


def add_organisation_members(organisation, key, users, admin) -> None:
    """Add the demo users the organisation lacks (only done when a project is built in it)."""
    wanted = [users[username] for username in ORGANISATIONS[key]["members"]]
    present = set(organisation.members.values_list("pk", flat=True))
    missing = [user for user in wanted if user.pk not in present]
    if missing:
        with acting_as(admin):
            organisation.members.add(*missing)


def build_workstream(project, order, data, users, admin) -> Workstream:
    lead = users[data["lead"]]
    workstream = services.save_workstream(
        workstream=Workstream(
            project=project, order=order, name=data["name"], units=data["units"], lead=lead
        ),
        members={lead, users["medlem"]},
        by=admin,
    )
    for option_order, option in enumerate(data.get("options", []), start=1):
        services.save_option(
            option=SolutionOption(
                workstream=workstream,
                order=option_order,
                title=option["title"],
                description=option["description"],
                is_zero_alternative=option.get("zero", False),
            ),
            by=admin,
        )
    if data.get("ready"):
        # Ready for decision only once its options exist: the service checks the 2–4 rule.
        workstream.status = Workstream.Status.READY
        services.save_workstream(workstream=workstream, by=admin)
    return workstream


def build_project(spec, organisation, users, admin) -> Project:
    project = services.create_project(
        organisation=organisation,
        name=spec["name"],
        code=spec["code"],
        owner=users[spec["owner"]],
        leader=users[spec["leader"]],
        start_date=spec["start_date"],
        by=admin,
        **spec["fields"],
    )
    for username, role, union_name in spec["members"]:
        services.add_member(
            project=project, user=users[username], role=role, union_name=union_name, by=admin
        )
    mandate = spec.get("mandate", {})
    for field, section in MANDATE_SECTIONS:
        if mandate.get(field):
            services.update_mandate_fields(
                project=project, values={field: mandate[field]}, section=section, by=admin
            )
    if spec.get("result_goals"):
        services.replace_goals(
            project=project,
            kind=Goal.Kind.RESULT,
            texts=spec["result_goals"],
            section="Resultatmål",
            by=admin,
        )
    if spec.get("effect_goals"):
        services.replace_goals(
            project=project,
            kind=Goal.Kind.EFFECT,
            texts=spec["effect_goals"],
            section="Effektmål",
            by=admin,
        )
    if spec.get("benefits"):
        services.replace_benefits(
            project=project, rows=spec["benefits"], section="Gevinster", by=admin
        )
    for order, phase in enumerate(spec.get("phases", []), start=1):
        services.save_phase(phase=Phase(project=project, order=order, **phase), by=admin)
    for order, data in enumerate(spec.get("workstreams", []), start=1):
        build_workstream(project, order, data, users, admin)
    # Before the decision, so that the decided version holds the milestone table.
    plans.build_progress(project, users, admin)
    staffing.build_roles(project, users, admin)
    # After the roles: the agenda items are linked to the future units.
    meetings.build_consultations(project, users, admin)
    steering.build_steering(project, users, admin)
    steering.build_reports(project, users)
    closeout.build_benefits(project, users, admin)
    if spec.get("decided_by"):
        services.submit_mandate(
            project=project,
            message="Mandatet er klart til beslutning, med milepælsplanen fra arbeidsgruppen.",
            by=users[spec["leader"]],
        )
        report_services.decide_mandate(
            project=project, by=users[spec["decided_by"]], **spec.get("decision", {})
        )
        project.refresh_from_db()
    if spec.get("submitted"):
        services.submit_mandate(
            project=project, message=spec["submitted"], by=users[spec["leader"]]
        )
    if spec.get("gates"):
        build_gates(project, spec["gates"], users[spec["leader"]], users[spec["owner"]])
    if spec.get("amendment"):
        amendment = spec["amendment"]
        services.update_mandate_fields(
            project=project,
            values=amendment["values"],
            section=amendment["section"],
            by=users[amendment["by"]],
        )
    return project


AMOT_TEMPLATE = "Omorganisering av administrasjonen (Åmot)"


def ensure_template(users) -> list[str]:
    """Åmot's leader has saved the project as a template of the municipality ("Lagre som mal"),
    so that the template list and a start from it have something to show."""
    amot = Project.objects.filter(code="AMOT-ADM").select_related("organisation").first()
    if (
        amot is None
        or ProjectTemplate.objects.filter(
            organisation=amot.organisation, name=AMOT_TEMPLATE
        ).exists()
    ):
        return []
    reuse.save_template(
        project=amot,
        name=AMOT_TEMPLATE,
        description="Mandat, faser, arbeidsstrømmer og milepælsplan fra Åmots omorganisering "
        "av kommunens øverste ledelse i 2013, med rollebeskrivelsen for kommunalsjef oppvekst.",
        by=users[amot.leader.username],
    )
    return [AMOT_TEMPLATE]


def build_gates(project: Project, gates: list[dict], leader, owner) -> None:
    """The phases' checklists, ticked by the leader; a gate submitted by the leader and approved
    by the owner starts the next phase. Through the services, as a person would."""
    phases = list(project.phases.order_by("order", "pk"))
    if phases and gates:
        services.start_phase(phase=phases[0], by=leader)
    for phase, gate in zip(phases, gates, strict=False):
        for order, (text, ticked, note) in enumerate(gate["criteria"], start=1):
            criterion = services.save_criterion(
                criterion=GateCriterion(phase=phase, order=order, text=text), by=leader
            )
            if ticked:
                services.tick_criterion(criterion=criterion, ticked=True, note=note, by=leader)
        if gate.get("submitted"):
            services.submit_gate(phase=phase, message=gate["submitted"], by=leader)
        if gate.get("approval"):
            report_services.approve_gate(phase=phase, by=owner, **gate["approval"])


def build_demo() -> dict:
    """Build whatever of the demo is missing. Returns what was created and what was skipped."""
    summary: dict[str, Any] = {
        "users": [],
        "organisations": [],
        "projects": [],
        "progress": [],
        "roles": [],
        "consultations": [],
        "steering": [],
        "skipped": [],
    }
    users = ensure_users(summary)
    admin = users["admin"]
    for spec in PROJECTS:
        key = spec["organisation"]
        organisation = ensure_organisation(key, admin, summary)
        existing = Project.objects.filter(organisation=organisation, code=spec["code"]).first()
        if existing:
            # Built before: only what later versions of the demo add, if it is still missing.
            progress = plans.build_progress(existing, users, admin)
            roles = staffing.build_roles(existing, users, admin)
            consultations = meetings.build_consultations(existing, users, admin)
            steered = steering.build_steering(existing, users, admin)
            steered = steering.build_reports(existing, users) or steered
            steered = closeout.build_benefits(existing, users, admin) or steered
            if progress:
                summary["progress"].append(f"{existing.code} ({organisation})")
            if roles:
                summary["roles"].append(f"{existing.code} ({organisation})")
            if consultations:
                summary["consultations"].append(f"{existing.code} ({organisation})")
            if steered:
                summary["steering"].append(f"{existing.code} ({organisation})")
            if not (progress or roles or consultations or steered):
                summary["skipped"].append(f"{spec['code']} ({organisation})")
            continue
        add_organisation_members(organisation, key, users, admin)
        project = build_project(spec, organisation, users, admin)
        summary["projects"].append(f"{project.code} ({organisation})")
    summary["templates"] = ensure_template(users)
    # What the hourly beat would do now: the drafts of periods that have ended without a report.
    summary["drafts"] = dispatch_due_reports()
    return summary


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, name, job title, roles) for each demo user, as the data above give them."""
    rows = []
    for data in USERS:
        username = data["username"]
        roles: dict[str, list[str]] = {}
        for spec in PROJECTS:
            held = [Role.OWNER] if spec["owner"] == username else []
            held += [Role.LEADER] if spec["leader"] == username else []
            held += [role for member, role, _union in spec["members"] if member == username]
            for role in held:
                roles.setdefault(str(role.label), []).append(spec["code"])
        described = "; ".join(f"{label} ({', '.join(codes)})" for label, codes in roles.items())
        if username in SUPERUSERS:
            described = "Superbruker (Django admin)"
        name = f"{data['first_name']} {data['last_name']}"
        rows.append((username, name, data["job_title"], described))
    return rows
