"""Two states of the mandate side by side, section by section, with the words that changed
marked: a decided version against the draft or another version ("Sammenlign versjoner"), and an
edit in the change log against what stood before it."""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from projects.models import BENEFIT_FIELDS

# A word and the space after it: the unit of a change, so that marking keeps the text readable.
_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Part:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    title: str
    parts: list[Part]

    @property
    def changed(self) -> bool:
        return any(part.kind != "equal" for part in self.parts)


def word_diff(old: str, new: str) -> list[Part]:
    """The words of `new`, with what was removed from `old` and what was added marked."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts: list[Part] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(Part("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(Part("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(Part("insert", "".join(b[j1:j2])))
    return parts


def _lines(items) -> str:
    return "\n".join(f"{n}. {text}" for n, text in enumerate(items, start=1))


def sections(snapshot: dict) -> list[tuple[str, str]]:
    """The mandate snapshot (reports.mandate.mandate_snapshot) as titled plain texts, in the order
    of the document."""
    s = snapshot
    basics = "\n".join(
        [
            f"{_('Navn')}: {s.get('name', '')} ({s.get('code', '')})",
            f"{_('Prosjekteier')}: {s.get('owner', '')} {s.get('owner_title', '')}".rstrip(),
            f"{_('Prosjektleder')}: {s.get('leader', '')}",
            f"{_('Periode')}: {s.get('start_date') or ''} – {s.get('last_delivery_date') or ''}",
            f"{_('Rapportering')}: {s.get('report_interval_days', '')}",
        ]
    )
    benefits = "\n".join(
        " – ".join(str(b[f]) for f in BENEFIT_FIELDS if b.get(f)) for b in s.get("benefits", [])
    )
    phases = "\n".join(
        f"{p['name']} ({p.get('start_date') or ''} – {p.get('end_date') or ''}): {p.get('goal', '')}"
        for p in s.get("phases", [])
    )
    workstreams = "\n\n".join(
        f"{w['name']} ({w.get('lead', '')}, {w.get('status', '')})\n{w.get('units', '')}\n"
        + "\n".join(
            f"- {o['title']}{' (0-alternativet)' if o.get('zero') else ''}: {o.get('description', '')}"
            for o in w.get("options", [])
        )
        for w in s.get("workstreams", [])
    )
    milestones = "\n".join(
        f"{m['code']} {m['title']}: {m.get('criterion', '')} ({m.get('date', '')})"
        for m in [*s.get("decision_points", []), *s.get("milestones", [])]
    )
    return [
        (_("Prosjektets navn og eier"), basics),
        (_("Bakgrunn"), s.get("background", "")),
        (_("Hensikt og kort beskrivelse"), s.get("purpose", "")),
        (_("Resultatmål"), _lines(s.get("result_goals", []))),
        (_("Effektmål"), _lines(s.get("effect_goals", []))),
        (_("Gevinster"), benefits),
        (_("Rammebetingelser og føringer"), s.get("constraints", "")),
        (_("Organisasjonens forpliktelser overfor prosjektet"), s.get("obligations", "")),
        (_("Kvalitet"), s.get("quality_requirements", "")),
        (_("Faser"), phases),
        (_("Organisering: arbeidsstrømmer"), workstreams),
        (_("Beslutningspunkter og hovedmilepæler"), milestones),
    ]


def compare(old: dict, new: dict) -> list[SectionDiff]:
    """Each section of the mandate, `old` against `new`."""
    return [
        SectionDiff(title, word_diff(old_text, new_text))
        for (title, old_text), (_title, new_text) in zip(sections(old), sections(new), strict=True)
    ]
