"""The 5×5 risk matrix: consequence down the side (5 at the top), probability along the bottom."""

from dataclasses import dataclass, field

from .models import Risk

LEVEL_COLORS: dict[str, str] = {
    Risk.Level.LOW: "success",
    Risk.Level.MEDIUM: "warning",
    Risk.Level.HIGH: "danger",
}


@dataclass
class Cell:
    probability: int
    consequence: int
    risks: list = field(default_factory=list)

    @property
    def level(self) -> str:
        return Risk(probability=self.probability, consequence=self.consequence).level

    @property
    def level_label(self) -> str:
        return str(Risk.Level(self.level).label)

    @property
    def color(self) -> str:
        return LEVEL_COLORS[self.level]


def matrix(risks) -> list[tuple[int, list[Cell]]]:
    """Rows from consequence 5 down to 1, each with its five cells (probability 1 to 5) holding
    the open risks that sit there, numbered as in the register."""
    cells = {(p, c): Cell(p, c) for p in range(1, 6) for c in range(1, 6)}
    for number, risk in risks:
        cells[risk.probability, risk.consequence].risks.append((number, risk))
    return [(c, [cells[p, c] for p in range(1, 6)]) for c in range(5, 0, -1)]
