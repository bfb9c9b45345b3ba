"""Demo organization and staffing plan (`manage.py load_demo`), from the seeds:

- Helse og mestring (seed 004): the sector as it is (current units, with the codes of the HR
  system) and as it will be, with the eight units of the decided organisation chart. The mappings
  between them give every kind of change the comparison knows (kept, renamed, merged, split,
  new, removed, restructured). Each unit head ("Enhetsleder") has a role description with the
  competence requirements the seed asks for ("Sette opp kompetansekrav for hver enkelt av
  enhetslederstillingene"); the employees have had mapping interviews and their placements are in
  every state, as the personnel clarifications of the seed would leave them.
- Åmot (seed 001): a small future organization of the administration (the workstreams' options
  with a kommunalsjef for oppvekst and a joint staff), and Appendix 1's example role description
  filled in for the Kommunalsjef oppvekst.

All employees are invented, with names no one could take for real ones (Eksempel, Fiktivsen,
Prøvesen, Testesen …); employee numbers and position codes are made up too. HR (`hr`) does this
work in the projects, so every write goes through roles.services as that user and history
records it. A project's part is built only when it has no organization yet: a rerun leaves edits
made in the app alone.
"""

from datetime import date
from decimal import Decimal

from roles import services
from roles.models import Employee, MappingInterview, OrgUnit, Placement, Position, RoleDescription

Kind = OrgUnit.Kind
Structure = OrgUnit.Structure
Status = Placement.Status
Basis = Placement.Basis
PERSONAL, EXPERIENCE, PROFESSIONAL = "personal", "experience", "professional"
REQUIRED, USEFUL = "required", "useful"

# --- Seed 004: Helse og mestring, Vestvågøy ------------------------------------------------------

# code, name, kind, parent code, leader title: the eight units in the seed's order.
HELSE_FUTURE_UNITS = [
    ("HM", "Helse og mestring", Kind.SECTOR, None, "Kommunalsjef"),
    ("FUI", "Forskning, utvikling og innovasjon", Kind.UNIT, "HM", "Enhetsleder"),
    ("INST", "Institusjon", Kind.UNIT, "HM", "Enhetsleder"),
    ("NAV", "NAV", Kind.UNIT, "HM", "Enhetsleder"),
    ("HVM", "Hverdagsmestring", Kind.UNIT, "HM", "Enhetsleder"),
    ("MILJ", "Miljøtjenester", Kind.UNIT, "HM", "Enhetsleder"),
    ("BOA", "Bo- og aktivitetssenter", Kind.UNIT, "HM", "Enhetsleder"),
    ("ALM", "Allmennlegetjenester", Kind.UNIT, "HM", "Enhetsleder"),
    ("REH", "Rehabilitering", Kind.UNIT, "HM", "Enhetsleder"),
    # The teams the seed names for Hverdagsmestring.
    ("HVM-KP", "Team kreft og palliasjon", Kind.DEPARTMENT, "HVM", "Teamleder"),
    ("HVM-DEM", "Team demens", Kind.DEPARTMENT, "HVM", "Teamleder"),
    ("HVM-INN", "Innsatsteam / forsterket helsehjelp", Kind.DEPARTMENT, "HVM", "Teamleder"),
]  # fmt: skip

# code, name, kind, parent code, leader title, successors (future codes). Together:
# HM→HM and NAV→NAV kept; Legetjenesten renamed; Sykehjemmet (with its departments) and
# Institusjonstjenesten merged into Institusjon; Bo- og miljøtjenesten split; Hjemmetjenesten,
# Fysio- og ergoterapi, Psykisk helse og rus and Tildelingskontoret restructured into
# Hverdagsmestring (with its teams) and Rehabilitering; Vaskeriet removed (the service is bought);
# Forskning, utvikling og innovasjon new.
HELSE_CURRENT_UNITS = [
    ("HM", "Helse og mestring", Kind.SECTOR, None, "Kommunalsjef", ["HM"]),
    ("HJT", "Hjemmetjenesten", Kind.UNIT, "HM", "Enhetsleder", ["HVM", "REH"]),
    ("HJT-N", "Hjemmetjenesten sone nord", Kind.DEPARTMENT, "HJT", "Avdelingsleder", ["HVM-KP", "HVM-INN"]),
    ("HJT-S", "Hjemmetjenesten sone sør", Kind.DEPARTMENT, "HJT", "Avdelingsleder", ["HVM-DEM"]),
    ("SYK", "Sykehjemmet", Kind.UNIT, "HM", "Enhetsleder", ["INST"]),
    ("SYK-L", "Langtidsavdelingen", Kind.DEPARTMENT, "SYK", "Avdelingsleder", ["INST"]),
    ("SYK-K", "Korttidsavdelingen", Kind.DEPARTMENT, "SYK", "Avdelingsleder", ["INST"]),
    ("INS", "Institusjonstjenesten", Kind.UNIT, "HM", "Enhetsleder", ["INST"]),
    ("PHR", "Psykisk helse og rus", Kind.UNIT, "HM", "Enhetsleder", ["HVM"]),
    ("TIL", "Tildelingskontoret", Kind.UNIT, "HM", "Leder", ["HVM"]),
    ("LEG", "Legetjenesten", Kind.UNIT, "HM", "Kommuneoverlege", ["ALM"]),
    ("FYS", "Fysio- og ergoterapi", Kind.UNIT, "HM", "Enhetsleder", ["REH"]),
    ("NAV", "NAV", Kind.UNIT, "HM", "NAV-leder", ["NAV"]),
    ("BMT", "Bo- og miljøtjenesten", Kind.UNIT, "HM", "Enhetsleder", ["MILJ", "BOA"]),
    ("VAS", "Vaskeriet", Kind.UNIT, "HM", "Leder", []),
]  # fmt: skip

# Per future unit: what its head "har som hovedmål å" do, the education required, a useful
# experience, and the task the seed's "Hva skal nå gjøres" gives it.
HELSE_UNIT_HEADS = {
    "FUI": (
        "lede sektorens arbeid med forskning, utvikling og innovasjon – velferdsteknologi, "
        "tjenesteinnovasjon og samarbeid med universiteter og høgskoler – slik at tjenestene i "
        "sektoren blir bedre og mer bærekraftige",
        "Utdanning på masternivå",
        "Erfaring med innovasjons- og forskningsprosjekter",
        "Avklare enhetens interne organisering sammen med de ansatte og tillitsvalgte.",
    ),
    "INST": (
        "lede kommunens institusjonstjenester, med langtidsplassene samlet på Lekneshagen og "
        "korttidsplassene, slik at beboerne får trygge og faglig forsvarlige tjenester",
        "Helsefaglig utdanning på bachelornivå",
        "Erfaring fra institusjonsdrift",
        "Lede prosjektgruppen for flyttingen til Lekneshagen og avklare intern organisering.",
    ),
    "NAV": (
        "lede de kommunale tjenestene i NAV-kontoret i vertskommunesamarbeidet, slik at "
        "innbyggerne får økonomisk sosialhjelp, kvalifiseringsprogram og oppfølging mot arbeid",
        "Høyere utdanning på bachelornivå",
        "Kjennskap til arbeids- og velferdsforvaltningen",
        "Følge opp den nye organiseringen i vertskommunesamarbeidet.",
    ),
    "HVM": (
        "lede de hjemmebaserte tjenestene og bygge opp en teambasert tjeneste, slik at "
        "innbyggerne kan mestre hverdagen hjemme lengst mulig",
        "Helsefaglig utdanning på bachelornivå",
        "Erfaring med hjemmebaserte tjenester",
        "Lede arbeidsgruppen for teambasert tjeneste, bestille lokaler til den samlokaliserte "
        "enheten og starte opp teamene for kreft og palliasjon, demens og forsterket helsehjelp.",
    ),
    "MILJ": (
        "lede tjenestene til personer med utviklingshemming og psykiske lidelser, i bofellesskap "
        "og ambulant, slik at de får tjenester som fremmer selvstendighet og livskvalitet",
        "Helsefaglig utdanning på bachelornivå",
        "Kunnskap om helse- og omsorgstjenesteloven kapittel 9",
        "Iverksette den interne organiseringen som er avklart.",
    ),
    "BOA": (
        "lede bo- og aktivitetssenteret med boliger og dagaktivitetstilbud, slik at brukerne får "
        "en meningsfull og aktiv hverdag",
        "Helsefaglig utdanning på bachelornivå",
        "Erfaring med dagaktivitetstilbud",
        "Videreutvikle dagaktivitetstilbudet etter den interne organiseringen som er avklart.",
    ),
    "ALM": (
        "lede allmennlegetjenestene – fastlegekontorene, sykehjemslegene og det kommunale "
        "legearbeidet – og følge opp strategiplanen for legetjenesten",
        "Helsefaglig utdanning på masternivå",
        "Kjennskap til fastlegeordningen",
        "Forberede den politiske saken med oppfølging av strategiplanen.",
    ),
    "REH": (
        "lede en samlet rehabiliteringstjeneste med fysio- og ergoterapi og "
        "hverdagsrehabilitering, slik at innbyggerne får rehabilitering tidlig og nær der de bor",
        "Helsefaglig utdanning på bachelornivå",
        "Erfaring med tverrfaglig rehabilitering",
        "Lede arbeidsgruppen som utreder den felles enheten, og avklare personellspørsmål.",
    ),
}

UNIT_HEAD_TASKS = """\
- Lede enheten med helhetlig ansvar for tjenester, økonomi og personal
- Utarbeide og følge opp enhetens organisasjonsplan, med funksjoner og formål og et klart \
brukerfokus
- Sikre faglig forsvarlige tjenester, internkontroll og avviksbehandling
- Delta i kommunalsjefens ledergruppe for Helse og mestring og bidra til sektorens mål og \
strategier
- Samarbeide med tillitsvalgte og verneombud, og følge opp arbeidsmiljø og sykefravær
- Rekruttere, utvikle og beholde kompetente medarbeidere"""

# key, unit code, title, position code, FTE (%), reports to (key). Codes are made up.
HELSE_POSITIONS = [
    ("ks", "HM", "Kommunalsjef helse og mestring", "7000", 100, None),
    # Enhetsleder for each of the eight units, 7001–7008.
    *[
        (f"el-{code}", code, f"Enhetsleder {name}", str(7000 + n), 100, "ks")
        for n, (code, name, *_rest) in enumerate(
            [unit for unit in HELSE_FUTURE_UNITS if unit[2] == Kind.UNIT], start=1
        )
    ],
    ("stab", "HM", "Rådgiver i stab", "7101", 200, "ks"),
    ("fui-rad", "FUI", "Rådgiver velferdsteknologi", "7102", 200, "el-FUI"),
    ("inst-spl", "INST", "Sykepleier", "7110", 1500, "el-INST"),
    ("inst-hfa", "INST", "Helsefagarbeider", "7111", 2000, "el-INST"),
    ("nav-vei", "NAV", "Veileder", "7120", 600, "el-NAV"),
    ("hvm-spl", "HVM", "Sykepleier", "7110", 1200, "el-HVM"),
    ("hvm-hfa", "HVM", "Helsefagarbeider", "7111", 1600, "el-HVM"),
    ("milj-mt", "MILJ", "Miljøterapeut", "7130", 800, "el-MILJ"),
    ("boa-vpl", "BOA", "Vernepleier", "7131", 500, "el-BOA"),
    ("alm-lege", "ALM", "Kommunelege", "7140", 300, "el-ALM"),
    ("reh-fys", "REH", "Fysioterapeut", "7150", 400, "el-REH"),
    ("reh-erg", "REH", "Ergoterapeut", "7151", 200, "el-REH"),
]  # fmt: skip

# number, first name, last name, current unit, current position, FTE, employed from, competences
HELSE_EMPLOYEES = [
    ("10001", "Anne", "Eksempel", "HJT", "Enhetsleder", 100, date(2012, 3, 1),
     ["Sykepleier", "Ledererfaring", "Helsefaglig utdanning på bachelornivå", "Erfaring med endringsledelse", "Videreutdanning i ledelse"]),
    ("10002", "Per", "Fiktivsen", "SYK", "Enhetsleder", 100, date(2009, 8, 15),
     ["Sykepleier", "Ledererfaring", "Helsefaglig utdanning på bachelornivå", "Erfaring fra institusjonsdrift"]),
    ("10003", "Kari", "Prøvesen", "FYS", "Enhetsleder", 100, date(2015, 1, 5),
     ["Fysioterapeut", "Ledererfaring", "Helsefaglig utdanning på bachelornivå", "Tjenestedesign"]),
    ("10004", "Ola", "Testesen", "BMT", "Fagkoordinator", 100, date(2018, 9, 1),
     ["Vernepleier", "Helsefaglig utdanning på bachelornivå", "Kunnskap om helse- og omsorgstjenesteloven kapittel 9"]),
    ("10005", "Lise", "Demosen", "LEG", "Kommuneoverlege", 100, date(2011, 2, 1),
     ["Lege", "Spesialist i allmennmedisin", "Helsefaglig utdanning på masternivå", "Ledererfaring"]),
    ("10006", "Nils", "Eksempelsen", "NAV", "NAV-leder", 100, date(2016, 4, 1),
     ["Høyere utdanning på bachelornivå", "Ledererfaring", "Erfaring med endringsledelse"]),
    ("10007", "Berit", "Fiktiv", "SYK-L", "Sykepleier", 100, date(2014, 6, 1),
     ["Sykepleier", "Videreutdanning i geriatri"]),
    ("10008", "Trond", "Prøve", "HJT-N", "Helsefagarbeider", 75, date(2019, 1, 14),
     ["Helsefagarbeider", "Førerkort klasse B"]),
    ("10009", "Mona", "Testdal", "SYK-K", "Helsefagarbeider", 80, date(2017, 3, 1),
     ["Helsefagarbeider", "Demensomsorgens ABC"]),
    ("10010", "Geir", "Demostad", "INS", "Enhetsleder", 100, date(2010, 10, 1),
     ["Sykepleier", "Ledererfaring", "Helsefaglig utdanning på bachelornivå", "Utdanning på masternivå", "Erfaring med innovasjons- og forskningsprosjekter"]),
    ("10011", "Siri", "Fiktivdal", "TIL", "Rådgiver", 100, date(2020, 2, 1),
     ["Sykepleier", "Saksbehandling etter helse- og omsorgstjenesteloven"]),
    ("10012", "Hanne", "Eksempeldal", "FYS", "Fysioterapeut", 100, date(2013, 8, 19),
     ["Fysioterapeut", "Hverdagsrehabilitering"]),
    ("10013", "Eva", "Testvik", "PHR", "Miljøterapeut", 60, date(2021, 5, 3),
     ["Vernepleier"]),
    ("10014", "Jon", "Prøvestad", "VAS", "Vaskeriassistent", 50, date(2005, 9, 1),
     ["Fagbrev renholdsoperatør"]),
]  # fmt: skip

# number: held on, wishes (position keys, first priority first), notes. HR holds them all.
HELSE_INTERVIEWS = {
    "10001": (date(2022, 8, 23), ["el-HVM", "el-REH"],
              "Ønsker å lede Hverdagsmestring og bygge opp teamene. Har ledet Hjemmetjenesten i ti "
              "år; vurderes å ha rettskrav på enhetslederstillingen."),
    "10002": (date(2022, 8, 24), ["el-INST"],
              "Ønsker å lede Institusjon gjennom flyttingen til Lekneshagen. Leder i dag den "
              "største delen av arbeidet som går inn i enheten."),
    "10003": (date(2022, 8, 25), ["el-REH", "el-HVM"],
              "Ønsker å lede Rehabilitering. Er opptatt av at hverdagsrehabiliteringen ikke skal "
              "falle mellom to enheter."),
    "10004": (date(2022, 8, 29), ["el-MILJ", "milj-mt"],
              "Har søkt enhetslederstillingen i Miljøtjenester. Er fagkoordinator og har ikke hatt "
              "personalansvar; ønsker lederutdanning."),
    "10005": (date(2022, 8, 30), ["el-ALM"],
              "Samme arbeid videreføres i Allmennlegetjenester. Ønsker tid til strategiplanen."),
    "10007": (date(2022, 9, 5), ["inst-spl"],
              "Ønsker å fortsette på langtidsavdelingen når den flytter til Lekneshagen."),
    "10008": (date(2022, 9, 6), ["hvm-hfa", "inst-hfa"],
              "Vil helst fortsette i hjemmebaserte tjenester i sone nord. Kan tenke seg "
              "institusjon som andrevalg."),
    "10009": (date(2022, 9, 6), ["inst-hfa"],
              "Ønsker å fortsette på korttidsavdelingen; interessert i demensteamet på sikt."),
    "10010": (date(2022, 9, 7), ["el-INST", "el-FUI"],
              "Ønsker primært Institusjon, sekundært Forskning, utvikling og innovasjon. Har "
              "mastergrad i innovasjon. Rettskrav på en enhetslederstilling vurderes."),
    "10011": (date(2022, 9, 8), ["stab", "hvm-spl"],
              "Tildelingskontoret legges ned som egen enhet. Ønsker rådgiverstilling i "
              "kommunalsjefens stab."),
    "10012": (date(2022, 9, 12), ["reh-fys"],
              "Samme arbeid videreføres i Rehabilitering."),
    "10013": (date(2022, 9, 13), ["milj-mt"],
              "Ønsker miljøterapeutstilling, gjerne høyere stillingsprosent. Ingen ledig stilling "
              "med riktig profil ennå; omstillingssamtale avtalt."),
}  # fmt: skip

PROPOSED_ON = date(2022, 9, 26)
CONSULTED_ON = date(2022, 10, 4)  # drøftet med de tillitsvalgte
# Held before the project used reorg: where the placements were consulted on, as HR records it.
CONSULTED_IN = "Drøftingsmøte om innplassering av enhetsledere 04.10.2022, sak 1"
DECIDED_ON = date(2022, 10, 11)

# number: position key, basis, status reached, answered on (accepted/declined), note
HELSE_PLACEMENTS = {
    "10001": ("el-HVM", Basis.AFTER_CONVERSATION, Status.ACCEPTED, date(2022, 10, 14), ""),
    "10002": ("el-INST", Basis.AFTER_CONVERSATION, Status.DECIDED, None,
              "Rettskrav vurdert: leder i dag det meste av arbeidet som går inn i enheten."),
    "10003": ("el-REH", Basis.AFTER_CONVERSATION, Status.CONSULTED, None, ""),
    "10004": ("el-MILJ", Basis.APPLIED, Status.PROPOSED, None,
              "Mangler ledererfaring; vurderes opp mot kompetansekravene før drøfting."),
    "10005": ("el-ALM", Basis.SAME_WORK, Status.ACCEPTED, date(2022, 10, 13), ""),
    "10006": ("el-NAV", Basis.SAME_WORK, Status.ACCEPTED, date(2022, 10, 12), ""),
    "10007": ("inst-spl", Basis.SAME_WORK, Status.ACCEPTED, date(2022, 10, 17), ""),
    "10008": ("inst-hfa", Basis.AFTER_CONVERSATION, Status.DECLINED, date(2022, 10, 18),
              "Takket nei: ønsker å fortsette i hjemmebaserte tjenester."),
    "10009": ("inst-hfa", Basis.SAME_WORK, Status.CONSULTED, None, ""),
    "10010": ("el-FUI", Basis.AFTER_CONVERSATION, Status.PROPOSED, None,
              "Ønsket Institusjon først; foreslås til Forskning, utvikling og innovasjon."),
    "10011": ("stab", Basis.AFTER_CONVERSATION, Status.PROPOSED, None, ""),
    "10012": ("reh-fys", Basis.SAME_WORK, Status.DECIDED, None, ""),
}  # fmt: skip

# Not placed: a restructuring conversation held (M15 of seed 001's procedure), and one redundant.
HELSE_CONVERSATIONS = {"10013": date(2022, 10, 25), "10014": date(2022, 10, 26)}
HELSE_REDUNDANT = {"10014"}

# The order a placement goes through to reach each status.
STEPS = {
    Status.PROPOSED: [],
    Status.CONSULTED: [Status.CONSULTED],
    Status.DECIDED: [Status.CONSULTED, Status.DECIDED],
    Status.ACCEPTED: [Status.CONSULTED, Status.DECIDED, Status.ACCEPTED],
    Status.DECLINED: [Status.CONSULTED, Status.DECIDED, Status.DECLINED],
}

# --- Seed 001: Åmot, the administration's future organization -----------------------------------

AMOT_FUTURE_UNITS = [
    ("RADM", "Rådmannen", Kind.SECTOR, None, "Rådmann"),
    ("STAB", "Rådmannens stab", Kind.UNIT, "RADM", "Stabssjef"),
    ("OPPV", "Oppvekst", Kind.UNIT, "RADM", "Kommunalsjef"),
    ("HO", "Helse og omsorg", Kind.UNIT, "RADM", "Kommunalsjef"),
    ("SAMF", "Samfunnsutvikling", Kind.UNIT, "RADM", "Kommunalsjef"),
]

AMOT_POSITIONS = [
    ("radmann", "RADM", "Rådmann", "9010", 100, None),
    ("stabssjef", "STAB", "Stabssjef", "9020", 100, "radmann"),
    ("okonomisjef", "STAB", "Økonomisjef", "9021", 100, "stabssjef"),
    ("ks-oppv", "OPPV", "Kommunalsjef oppvekst", "9030", 100, "radmann"),
    ("ks-ho", "HO", "Kommunalsjef helse og omsorg", "9040", 100, "radmann"),
    ("ks-samf", "SAMF", "Kommunalsjef samfunnsutvikling", "9050", 100, "radmann"),
]

# Appendix 1 of seed 001, every field filled in.
AMOT_ROLE_DESCRIPTION = {
    "position_name": "Kommunalsjef oppvekst",
    "main_goal": "lede og utvikle skolene og barnehagene i Åmot slik at barn og unge får et godt "
    "og likeverdig tilbud innenfor vedtatte rammer, og bidra i rådmannens ledergruppe til "
    "strategisk styring og utvikling av kommunen som helhet.",
    "main_tasks": """\
- Lede tjenesteområdet oppvekst: skoler, barnehager, PP-tjenesten og kulturskolen
- Følge opp rektorer og styrere med mål, resultater og lederstøtte
- Utarbeide budsjett, økonomiplan og tertialrapporter for oppvekst
- Skrive tilstandsrapporten for grunnskolen og saker til politisk behandling
- Ivareta kommunens oppgaver som barnehagemyndighet og skoleeier
- Delta i rådmannens ledergruppe og i kommunens strategiske planarbeid
- Samarbeide med tillitsvalgte, verneombud og foreldrenes organer""",
    "education": "Relevant utdanning på masternivå, fortrinnsvis i pedagogikk, ledelse eller "
    "offentlig administrasjon. Lærer- eller barnehagelærerutdanning er en fordel.",
    "education_level": "Høyere grad (master)",
    "certifications": "Rektorutdanningen eller annen formell lederutdanning (kan tas i "
    "stillingen). Kurs i opplæringsloven og barnehageloven.",
    "general_requirements": "Gode norskkunnskaper muntlig og skriftlig. Politiattest etter "
    "opplæringsloven og barnehageloven. Førerkort klasse B: stillingen krever reising mellom "
    "skolene og barnehagene i kommunen. Lederen skal opptre ansvarlig, handlekraftig, "
    "endringsvillig, kommuniserende, inspirerende og helhetstenkende.",
    "personnel_responsibility": "Personalansvar for rektorene, barnehagestyrerne, lederen for "
    "PP-tjenesten og rektor ved kulturskolen, og for rådgiveren for oppvekst.",
    "budget_responsibility": "Budsjett- og resultatansvar for tjenesteområdet oppvekst. "
    "Fordeler rammene mellom enhetene og rapporterer avvik til rådmannen.",
    "professional_responsibility": "Fagansvar for kvaliteten i opplæringen og i barnehagene, "
    "spesialpedagogisk hjelp og spesialundervisning, og for kommunens kvalitetssystem på "
    "oppvekstområdet.",
    "special_tasks": "Kommunens kontaktperson mot Statsforvalteren på oppvekstområdet. Leder "
    "arbeidet med å avklare ledelsen av oppvekstsentrene (arbeidsstrøm 1).",
}

AMOT_COMPETENCES = [
    (PERSONAL, "Handlekraftig og endringsvillig", REQUIRED),
    (PERSONAL, "Tydelig og tillitvekkende kommunikasjon", REQUIRED),
    (PERSONAL, "Inspirerende og helhetstenkende", USEFUL),
    (EXPERIENCE, "Ledererfaring fra skole eller barnehage", REQUIRED),
    (EXPERIENCE, "Erfaring fra arbeid med politisk styrte organer", USEFUL),
    (EXPERIENCE, "Erfaring med omstilling og endringsledelse", USEFUL),
    (PROFESSIONAL, "Opplæringsloven og barnehageloven", REQUIRED),
    (PROFESSIONAL, "Økonomistyring i offentlig sektor", REQUIRED),
    (PROFESSIONAL, "Kvalitetsutvikling og vurdering for læring", USEFUL),
]


# --- Builders ------------------------------------------------------------------------------------


def _future_units(project, rows, by) -> dict:
    made: dict[str, OrgUnit] = {}
    for order, (code, name, kind, parent, leader_title) in enumerate(rows, start=1):
        made[code] = services.save_unit(
            unit=OrgUnit(
                project=project,
                structure=Structure.FUTURE,
                kind=kind,
                parent=made.get(parent),
                name=name,
                code=code,
                leader_title=leader_title,
                order=order,
            ),
            by=by,
        )
    return made


def _current_units(project, rows, future, by) -> dict:
    made: dict[str, OrgUnit] = {}
    for order, (code, name, kind, parent, leader_title, successors) in enumerate(rows, start=1):
        made[code] = services.save_unit(
            unit=OrgUnit(
                project=project,
                structure=Structure.CURRENT,
                kind=kind,
                parent=made.get(parent),
                name=name,
                code=code,
                leader_title=leader_title,
                order=order,
            ),
            successors=[future[s] for s in successors],
            by=by,
        )
    return made


def _positions(project, rows, units, by) -> dict:
    made: dict[str, Position] = {}
    for order, (key, unit, title, code, fte, reports_to) in enumerate(rows, start=1):
        made[key] = services.save_position(
            position=Position(
                project=project,
                unit=units[unit],
                title=title,
                code=code,
                fte=Decimal(fte),
                reports_to=made.get(reports_to),
                order=order,
            ),
            by=by,
        )
    return made


def _unit_head_descriptions(positions, units, by) -> None:
    for code, (goal, education, experience, special) in HELSE_UNIT_HEADS.items():
        level = "Master" if "masternivå" in education else "Bachelor"
        services.save_role_description(
            description=RoleDescription(
                position=positions[f"el-{code}"],
                position_name=f"Enhetsleder {units[code].name}",
                main_goal=goal,
                main_tasks=UNIT_HEAD_TASKS,
                education=f"{education}. Videreutdanning i ledelse er en fordel.",
                education_level=level,
                certifications="Kommunal lederutdanning eller tilsvarende er ønskelig.",
                general_requirements="Gode norskkunnskaper muntlig og skriftlig. Politiattest. "
                "Førerkort klasse B.",
                personnel_responsibility="Personalansvar for de ansatte i enheten, direkte eller "
                "gjennom avdelings- og teamledere.",
                budget_responsibility="Budsjett- og resultatansvar for enheten innenfor vedtatte "
                "rammer; rapporterer til kommunalsjefen.",
                professional_responsibility="Fagansvar for tjenestene i enheten, internkontroll "
                "og kvalitetssystem.",
                special_tasks=special,
            ),
            competences=[
                {"category": PERSONAL, "text": "Gode samarbeids- og kommunikasjonsevner", "level": USEFUL},
                {"category": PERSONAL, "text": "Endringsvillig og løsningsorientert", "level": USEFUL},
                {"category": EXPERIENCE, "text": "Ledererfaring", "level": REQUIRED},
                {"category": EXPERIENCE, "text": "Erfaring med endringsledelse", "level": USEFUL},
                {"category": EXPERIENCE, "text": experience, "level": USEFUL},
                {"category": PROFESSIONAL, "text": education, "level": REQUIRED},
                {"category": PROFESSIONAL, "text": "Tjenestedesign", "level": USEFUL},
            ],
            by=by,
        )  # fmt: skip


def _employees(project, units, by) -> dict:
    made = {}
    for number, first, last, unit, position, fte, start, competences in HELSE_EMPLOYEES:
        made[number] = services.save_employee(
            employee=Employee(
                project=project,
                employee_number=number,
                first_name=first,
                last_name=last,
                current_unit=units[unit],
                current_position=position,
                fte=Decimal(fte),
                start_date=start,
                competences="\n".join(competences),
                restructuring_conversation_on=HELSE_CONVERSATIONS.get(number),
                redundant=number in HELSE_REDUNDANT,
            ),
            by=by,
        )
    return made


def _interviews(employees, positions, by) -> None:
    for number, (held_on, wishes, notes) in HELSE_INTERVIEWS.items():
        services.save_interview(
            interview=MappingInterview(
                employee=employees[number], held_on=held_on, held_by=by, notes=notes
            ),
            wishes=[positions[key] for key in wishes],
            by=by,
        )


def _placements(employees, positions, by) -> None:
    dates = {Status.CONSULTED: CONSULTED_ON, Status.DECIDED: DECIDED_ON}
    for number, (key, basis, status, answered_on, note) in HELSE_PLACEMENTS.items():
        placement = services.save_placement(
            placement=Placement(
                employee=employees[number],
                position=positions[key],
                basis=basis,
                fte=employees[number].fte,
                note=note,
            ),
            by=by,
        )
        for step in STEPS[status]:
            placement = services.set_placement_status(
                placement=placement,
                status=step,
                by=by,
                on=dates.get(step, answered_on),
                consulted_in=CONSULTED_IN if step == Status.CONSULTED else "",
            )


def _build_helse(project, hr) -> None:
    future = _future_units(project, HELSE_FUTURE_UNITS, hr)
    current = _current_units(project, HELSE_CURRENT_UNITS, future, hr)
    positions = _positions(project, HELSE_POSITIONS, future, hr)
    _unit_head_descriptions(positions, future, hr)
    employees = _employees(project, current, hr)
    _interviews(employees, positions, hr)
    _placements(employees, positions, hr)


def _build_amot(project, hr) -> None:
    future = _future_units(project, AMOT_FUTURE_UNITS, hr)
    positions = _positions(project, AMOT_POSITIONS, future, hr)
    services.save_role_description(
        description=RoleDescription(position=positions["ks-oppv"], **AMOT_ROLE_DESCRIPTION),
        competences=[
            {"category": category, "text": text, "level": level}
            for category, text, level in AMOT_COMPETENCES
        ],
        by=hr,
    )


def build_roles(project, users, admin) -> bool:
    """Add the project's demo organization and staffing plan if it has no organization yet.
    Returns whether anything was added. HR does the work, so `admin` is not used."""
    if project.org_units.exists():
        return False
    if project.code == "HELSE-MESTRING":
        _build_helse(project, users["hr"])
    elif project.code == "AMOT-ADM":
        _build_amot(project, users["hr"])
    else:
        return False
    return True
