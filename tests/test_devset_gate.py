"""The extraction gate on real pages nobody here wrote: a committed sample of the WCXB dev split (tests/devset)."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT, shared

sys.path.insert(0, str(ROOT))
from scripts.devset import means, read_pages, run_system

SAMPLE = ROOT / "tests" / "devset"
FLOORS = json.loads((SAMPLE / "floors.json").read_text(encoding="utf-8"))

# one worker runs the tests below, scoring the sample (~9 s of CPU) once for them all
pytestmark = pytest.mark.xdist_group("devset")


def score_the_sample(folder) -> dict:
    pages = list(read_pages(SAMPLE))
    assert len(pages) == 159, "the committed sample"
    results, _ = run_system("newscrawl", pages)
    return means(results)


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    """The sample's mean scores, computed once per test run (whatever worker runs a test of this module)."""
    return shared(tmp_path_factory, "devset-scores", score_the_sample)


@pytest.mark.parametrize("metric", [name for name in FLOORS if name != "empty_body_at_most"])
def test_mean_score_holds_its_floor(scores, metric):
    assert scores[metric] >= FLOORS[metric], f"{metric} fell to {scores[metric]} (floor {FLOORS[metric]})"


def test_no_more_empty_bodies_than_the_ceiling(scores):
    assert scores["empty_body"] <= FLOORS["empty_body_at_most"]
