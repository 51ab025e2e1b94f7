"""Norway's municipalities, from Statistics Norway's register shipped in data/municipalities.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGISTER = Path(__file__).resolve().parent / "data" / "municipalities.csv"
COLUMNS = ["code", "name", "county_code", "county_name"]


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county_name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def read_register(path: Path) -> dict[str, Municipality]:
    """Read and check a register file; raise ValueError naming the first bad row."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"expected columns {','.join(COLUMNS)}, found {reader.fieldnames}")
        result: dict[str, Municipality] = {}
        for line, row in enumerate(reader, start=2):
            code, county = row["code"].strip(), row["county_code"].strip()
            if not (len(code) == 4 and code.isdigit() and code[:2] == county and row["name"].strip()):
                raise ValueError(f"line {line}: not a municipality: {row}")
            if code in result:
                raise ValueError(f"line {line}: code {code} appears twice")
            result[code] = Municipality(code, row["name"].strip(), county, row["county_name"].strip())
    return result


@cache
def municipalities() -> dict[str, Municipality]:
    return read_register(REGISTER)


def municipality_choices() -> list[tuple[str, str]]:
    return [(m.code, str(m)) for m in sorted(municipalities().values(), key=lambda m: m.code)]
