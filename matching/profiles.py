"""The engine's records of a worker and of an open posting, apart from the ranking that reads
them (matching/ranking.py) so the array form of many workers (matching/worker_table.py) can
name them too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from matching.gaps import HeldSkill, RequiredSkill, dedupe_required, held_by_uri
from matching.plans import PlanPreferences

Id = str | int


@dataclass(frozen=True, slots=True)
class WorkerProfile:
    """What ranking and planning need to know about a worker. `visible` is the worker's consent to
    be shown to employers; the training fields feed `plan_preferences`."""

    worker_id: Id
    held: tuple[HeldSkill, ...]
    district: str | None = None
    visible: bool = True
    name: str = ""
    wants_women_only: bool = False
    women_only_ok: bool = False
    wants_residential: bool = False
    cannot_residential: bool = False
    held_map: Mapping[str, HeldSkill] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.worker_id, "worker_id")
        object.__setattr__(self, "held", tuple(self.held))
        object.__setattr__(self, "held_map", held_by_uri(self.held))

    def plan_preferences(self, today: date) -> PlanPreferences:
        return PlanPreferences(
            today=today,
            district=self.district,
            wants_women_only=self.wants_women_only,
            women_only_ok=self.women_only_ok,
            wants_residential=self.wants_residential,
            cannot_residential=self.cannot_residential,
        )


@dataclass(frozen=True, slots=True)
class PostingProfile:
    """An open job posting. `required` is deduplicated on construction (stricter copy kept)."""

    posting_id: Id
    required: tuple[RequiredSkill, ...]
    title: str = ""
    employer: str = ""
    district: str | None = None
    sector: str | None = None
    wage_inr: float | None = None  # per month
    openings: int = 1
    possible: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.posting_id, "posting_id")
        if (
            isinstance(self.openings, bool)
            or not isinstance(self.openings, int)
            or self.openings < 0
        ):
            raise ValueError(f"posting {self.posting_id}: openings must be an integer ≥ 0")
        if self.wage_inr is not None and not self.wage_inr >= 0:
            raise ValueError(f"posting {self.posting_id}: wage_inr must be ≥ 0 or None")
        required = dedupe_required(self.required)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "possible", sum(r.weight for r in required))


def _check_id(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ValueError(f"{what} must be a non-empty str or an int, got {value!r}")


Profile = TypeVar("Profile", WorkerProfile, PostingProfile)
_ID_FIELD = {WorkerProfile: "worker_id", PostingProfile: "posting_id"}


def distinct_profiles(items: Iterable[Profile], kind: type[Profile]) -> list[Profile]:
    """`items` as a list, refused if one is not a `kind` or an id comes twice: every matching
    structure keeps one entry per worker and per posting, and says which id was repeated."""
    found = list(items)
    field_name = _ID_FIELD[kind]
    seen: set[Id] = set()
    for item in found:
        if not isinstance(item, kind):
            raise TypeError(f"expected {kind.__name__}, got {type(item).__name__}")
        value = getattr(item, field_name)
        if value in seen:
            raise ValueError(f"duplicate {field_name} {value!r}")
        seen.add(value)
    return found


def _id_key(value: Id) -> tuple[int, int | str]:
    # ints and strs never compare with each other; keep ids of one kind in their natural order.
    return (0, value) if isinstance(value, int) else (1, value)
