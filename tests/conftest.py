"""Shared test helpers: write small ledgers as CSV or xlsx, run the pipeline on them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so what passes here passes on CI (a
# random draw once found a real defect on CI only, now an @example of its test). Explore with
# HYPOTHESIS_PROFILE=explore, which draws new examples each run.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aging.config import load_config  # noqa: E402
from aging.pipeline import Inputs, run  # noqa: E402


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run_on(ledger, *, as_of=None, overrides=None, base="CNY", **tables):
    """Run the pipeline on files; tables may give customers=, contacts=, fx= paths.

    The base currency is configured (CNY) unless `base=None`: a test of how the run finds it
    from the export's own evidence says so."""
    overrides = dict(overrides or {})
    if base is not None:
        overrides.setdefault("base_currency", base)
    config = load_config(None, overrides)
    paths = ledger if isinstance(ledger, list | tuple) else [ledger]
    inputs = Inputs(
        ledger=tuple(paths),
        customers=tuple(tables.get("customers", ())),
        contacts=tuple(tables.get("contacts", ())),
        fx=tuple(tables.get("fx", ())),
        as_of=as_of,
    )
    return run(inputs, config)


def data_issues(result):
    """The run's findings about its data: all but `letters.sender_unset`, the warning a run
    with the default config (no sender) gives whenever a letter is due."""
    return result.issues[result.issues["code"].ne("letters.sender_unset")]


@pytest.fixture
def tmp(tmp_path):
    return tmp_path
