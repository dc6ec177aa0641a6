"""What every benchmark module receives, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import PASSPHRASE, PIN, BenchData


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None  # at most this, when given

    def line(self) -> str:
        text = f"{self.name}: {self.value:.2f} {self.unit}"
        if self.target is not None:
            verdict = "ok" if self.value <= self.target else "MISSED"
            text += f"  (target <= {self.target:g} {self.unit}: {verdict})"
        return text


@dataclass(frozen=True)
class Context:
    scale: float
    data: BenchData
    passphrase: str = PASSPHRASE
    pin: str = PIN  # the first coordinator's, on both copies
    memory_data: Path | None = None  # plain folder for the opt-in memory figure
    memory_scale: float | None = None
