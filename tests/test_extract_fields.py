"""The Salesforce extract asks for every field the warehouse reads.

Bulk API 2.0 returns only the fields a query names (escalations/extract/salesforce.py), so a field
the loader or a model reads that the extract's lists leave out is null in every pulled row, without
an error anywhere. This guard reads what is read, from the places that read it:
- the loader's table specs (id, version, creation, timestamp, date, boolean, enum, integer fields);
- every dbt model that reads a Salesforce object's raw ``record`` (``json_text('record', 'Field')``
  and ``json_without('record', [...])``);
- the vendor's export format (the sample files' headers in the shared spec, where present).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from escalations.config import DBT_PROJECT_DIR
from escalations.extract.salesforce import OBJECTS, case_custom_fields
from escalations.ingestion.specs import TABLES

SPEC_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "spec" / "samples" / "salesforce"

# raw table -> Salesforce object (the landing folder or file the table's pattern names)
RAW_OBJECT = {
    t.name: t.pattern.split("/")[1].removesuffix(".csv") for t in TABLES if t.source == "salesforce"
}
# the names models use for each object's raw table or its staging model
OBJECT_REFS = {
    obj: (raw, "stg_" + raw.replace("salesforce_", "salesforce__")) for raw, obj in RAW_OBJECT.items()
}
JSON_TEXT = re.compile(r"json_text\(\s*'record'\s*,\s*'([A-Z][A-Za-z0-9_]*)'\s*\)")
JSON_WITHOUT = re.compile(r"json_without\(\s*'record'\s*,\s*\[([^\]]*)\]\s*\)")


def _asked_for(obj: str) -> set[str]:
    (stream,) = [s for s, (o, _, _) in OBJECTS.items() if o == obj]
    fields = set(OBJECTS[stream][1])
    if stream == "Case":
        fields |= set(case_custom_fields())
    return fields


def _loader_reads(raw: str) -> set[str]:
    (spec,) = [t for t in TABLES if t.name == raw]
    named = {spec.id_field, spec.version_field, spec.created_field, spec.seq_field}
    named |= {*spec.timestamp_fields, *spec.date_fields, *spec.booleans, *spec.integers}
    named |= {e.path for e in spec.enums}
    return {f for f in named if f}


def _models_read() -> dict[str, set[str]]:
    """Object -> the capitalised record keys (Salesforce's field names) models read from it.

    A key is read from the object whose raw table or staging model the first reference after it
    names (a select list comes before its ``from``), or else the last one before it (a ``where``)."""
    read: dict[str, set[str]] = {obj: set() for obj in OBJECT_REFS}
    names = {n: obj for obj, refs in OBJECT_REFS.items() for n in refs}
    ref = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        calls = [(m.end(), {m.group(1)}) for m in JSON_TEXT.finditer(sql)]
        calls += [
            (m.end(), {k for k in re.findall(r"'([^']+)'", m.group(1)) if k[:1].isupper()})
            for m in JSON_WITHOUT.finditer(sql)
        ]
        for end, keys in calls:
            if not keys:
                continue
            # a where clause comes after its from: then the last one before it
            found = ref.search(sql, end) or ([None, *ref.finditer(sql, 0, end)][-1])
            assert found, f"{path.name} reads record keys {sorted(keys)} from no Salesforce object"
            read[names[found.group(1)]] |= keys
    return read


def _sample_header(obj: str) -> set[str]:
    files = sorted(SPEC_SAMPLES.glob(f"{obj}/*.csv")) or sorted(SPEC_SAMPLES.glob(f"{obj}.csv"))
    if not files:
        return set()
    with files[0].open(newline="", encoding="utf-8") as fh:
        return set(next(csv.reader(fh)))


MODELS_READ = _models_read()


@pytest.mark.parametrize("raw", sorted(RAW_OBJECT))
def test_the_extract_asks_for_every_field_the_warehouse_reads(raw):
    obj = RAW_OBJECT[raw]
    asked = _asked_for(obj)
    wanted = {
        "loader": _loader_reads(raw),
        "models": MODELS_READ[obj],
        "the vendor's export format": _sample_header(obj),
    }
    missing = {where: sorted(f - asked) for where, f in wanted.items() if f - asked}
    assert not missing, f"salesforce/{obj}: the extract does not ask for fields read by {missing}"


def test_the_guard_finds_what_models_read():
    # a guard that reads nothing proves nothing: the known reads are found
    assert {"CaseNumber", "Description", "SuppliedEmail"} <= MODELS_READ["Case"]
    assert {"RecurrenceType", "RecurrenceDayOfWeekMask"} <= MODELS_READ["Holiday"]
    assert "TimeZoneSidKey" in MODELS_READ["BusinessHours"]
