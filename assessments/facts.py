"""The countable facts a monthly assessment is made of, from every part of the hall.

Each app that knows such facts registers a function `facts(hall, first, last) -> Iterable[Fact]` under a source
name (the key of the hall's assessment rules), with the label pages and workbooks show for it (a lazy
translation), in its AppConfig.ready(); the assessment turns them into lines with
the points its rules give. Only facts with a record enter a sheet: nothing a manager scores freely.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DEDUCTION, BONUS = "deduction", "bonus"


@dataclass(frozen=True)
class Fact:
    """One fact about one person: what it is and where its record is."""

    staff_id: int
    source: str  # the rule's key, e.g. "patrol_failed"
    record: str  # what the record is, in words: "巡场 12-02 10:00：未佩戴工牌"
    link: str  # the record's page
    at: dt.datetime
    note: str = ""
    amount: float = 1  # how many of the rule's units (e.g. 1 breach; a satisfaction rate's points above the hall's)


@dataclass(frozen=True)
class FactSource:
    name: str
    kind: str  # DEDUCTION or BONUS
    facts: Callable  # (hall, first: date, last: date) -> Iterable[Fact]
    label: str


SOURCES: dict[str, FactSource] = {}


def register(name: str, kind: str, facts: Callable, *, label: str) -> None:
    SOURCES[name] = FactSource(name=name, kind=kind, facts=facts, label=label)


def facts_of(hall, first: dt.date, last: dt.date) -> Iterable[Fact]:
    for source in SOURCES.values():
        yield from source.facts(hall, first, last)
