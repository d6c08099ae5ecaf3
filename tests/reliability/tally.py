"""Counts what the reliability suite tried and survived, printed at the end of the run."""

from collections import Counter

TRIED: Counter = Counter()
SURVIVED: Counter = Counter()


def record(kind: str, survived: bool = True) -> None:
    TRIED[kind] += 1
    if survived:
        SURVIVED[kind] += 1
