"""Which records one run of a process reads: the ways an operator or a schedule selects them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Delta:
    """What changed since the process's saved cursor (a scheduled or sensor run; a full sweep when due)."""


@dataclass(frozen=True)
class Everything:
    """Every record in the source, whatever the cursor says."""


@dataclass(frozen=True)
class ByKeys:
    """These records only, by their ERP ids (an operator's re-drive)."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class ByNames:
    """These records by the names operators know them by (the launchpad's `records`): article numbers for
    articles and stock, ERP order numbers for orders, ERP company ids for suppliers. The runner makes
    them ByKeys with the process's `named` (a name nothing in the source has is a failure of the run)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    """The records whose last change falls in [start, end) (one UTC day's resync)."""

    start: datetime
    end: datetime


Selection = Delta | Everything | ByKeys | ByNames | Window


def ids_of(selection: ByKeys) -> list[int]:
    """The selection's keys as ERP ids; a key that is not a whole number is refused."""
    wrong = [key for key in selection.keys if not key.strip().isdigit()]
    if wrong:
        raise ValueError(f"not ERP ids (whole numbers): {', '.join(wrong)}")
    return [int(key) for key in selection.keys]
