"""Config maps merge with their defaults key by key; an unknown key inside one is an error.

Issue "A run you can trust": setting only `plan.recovery_rates.bad` set every other rate to 0
(eight customers of the sample were told to settle or write off), and one key of `plan.costs`
crashed with a traceback. The property test changes one key of the config at random and
checks that the run still reconciles and that the change reaches only what the key names.
"""

from __future__ import annotations

import functools

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aging.cli import SAMPLE_FX, SAMPLE_LEDGER, main
from aging.config import Config, load_config
from aging.errors import ConfigError
from aging.model import GRADES
from aging.pipeline import Inputs, run

# (section, map) -> the valid keys, from the defaults (grade_rates: every grade).
MAPS = {
    ("plan", "weights"): tuple(Config().plan.weights),
    ("plan", "recovery_rates"): tuple(Config().plan.recovery_rates),
    ("plan", "costs"): tuple(Config().plan.costs),
    ("plan", "cadence_days"): tuple(Config().plan.cadence_days),
    ("provision", "grade_rates"): GRADES,
}


def _yaml(tmp_path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_recovery_rate_keeps_the_other_four(tmp_path):
    config = load_config(_yaml(tmp_path, "plan:\n  recovery_rates:\n    bad: 0.25\n"))
    assert config.plan.recovery_rates == {
        "not_due": 0.98, "in_collection": 0.9, "doubtful": 0.6, "bad": 0.25, "dead": 0.05,
    }  # fmt: skip


def test_one_key_of_costs_runs_the_sample(tmp_path, capsys):
    config = _yaml(tmp_path, "plan:\n  costs:\n    lawyer: 2500\n")
    assert load_config(config).plan.costs["visit_per_km"] == 2.0  # the default, kept
    assert main(["--config", str(config), "--out", str(tmp_path / "o"), "--only", "close"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_grade_rates_merge_and_accept_every_grade(tmp_path):
    config = load_config(_yaml(tmp_path, "provision:\n  grade_rates:\n    bad: 0.5\n"))
    assert config.provision.grade_rates == {"dead": 1.0, "bad": 0.5}


@pytest.mark.parametrize(("section", "name"), sorted(MAPS))
def test_unknown_key_in_a_map_names_the_valid_ones(tmp_path, section, name):
    path = _yaml(tmp_path, f"{section}:\n  {name}:\n    bda: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{section}.{name}" in message and "'bda'" in message
    assert all(key in message for key in MAPS[(section, name)])


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("plan:\n  recovery_rates:\n    bad: 1.5\n", "plan.recovery_rates.bad"),
        ("plan:\n  costs:\n    phone: -1\n", "plan.costs.phone"),
        ("plan:\n  weights:\n    age: -2\n", "plan.weights.age"),
        ("provision:\n  grade_rates:\n    dead: 2\n", "provision.grade_rates.dead"),
        ("plan:\n  cadence_days:\n    phone: -1\n", "plan.cadence_days.phone"),
        ("plan:\n  recovery_rates: 0.3\n", "plan.recovery_rates"),
    ],
)
def test_a_bad_value_in_a_map_is_refused_naming_its_key(tmp_path, text, where):
    with pytest.raises(ConfigError, match=where.replace(".", r"\.")):
        load_config(_yaml(tmp_path, text))


# --- the property: one key changes only what it names ------------------------------------------


@functools.lru_cache(maxsize=64)
def _run(override: tuple = ()):
    config = load_config(None, dict([override]) if override else None)
    return run(Inputs(ledger=(SAMPLE_LEDGER,), fx=(SAMPLE_FX,)), config)


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("customer_id", kind="stable").set_index("customer_id")


def _rows(result, columns=None) -> pd.DataFrame:
    frame = _by_id(result.worklist)
    return frame if columns is None else frame[list(columns)]


PRIORITY = ("priority_score", "rank")
FACTOR_COLUMNS = tuple(f"factor_{f}" for f in Config().plan.weights)
# What a cost decides: the action's cost and, from it, visit or write, agency or lawsuit, and
# "settle / write off" with the channel, letter and date that follow.
COST_DECIDES = ("action_cost_base_minor", "recommendation", "channel", "next_action", "letter",
                "next_contact_date", "window", "held_reason", "hold_reason")  # fmt: skip


def single_key():
    """(dotted key, value): one key of one map, at its default or at another valid value."""
    maps = st.sampled_from(sorted(MAPS))

    def values(section_name):
        section, name = section_name
        key = st.sampled_from(MAPS[section_name])
        if name == "cadence_days":
            value = st.integers(0, 60)
        elif name in ("recovery_rates", "grade_rates"):
            value = st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.97, 1.0])
        elif name == "weights":
            value = st.sampled_from([0.0, 0.5, 1.0, 4.0, 10.0])
        else:
            value = st.sampled_from([0.0, 1.0, 50.0, 5000.0, 0.5])
        dotted = key.map(lambda k: f"{section}.{name}.{k}")
        return st.tuples(dotted, st.one_of(st.just(None), value))

    return maps.flatmap(values)


def _default_of(dotted: str):
    section, name, key = dotted.split(".")
    return getattr(getattr(Config(), section), name).get(key, 0.0)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(single_key())
@example(("plan.recovery_rates.bad", None))  # the case: at its default, nothing moves
@example(("plan.recovery_rates.bad", 0.25))
@example(("plan.costs.lawyer", 5000.0))
@example(("provision.grade_rates.bad", 0.5))
@example(("plan.cadence_days.phone", 1))
@example(("plan.weights.age", 10.0))
def test_one_config_key_changes_only_what_it_names(change):
    dotted, value = change
    value = _default_of(dotted) if value is None else value
    base, changed = _run(), _run((dotted, value))
    assert changed.reconciled  # whatever a plan key says, the ledger still reconciles
    section, name, key = dotted.split(".")
    if value == _default_of(dotted):  # a key set to its default changes nothing at all
        pd.testing.assert_frame_equal(_rows(changed), _rows(base))
        pd.testing.assert_frame_equal(changed.open_items, base.open_items)
        return
    # No plan key reaches the items, their grades or their provision.
    if section == "plan":
        pd.testing.assert_frame_equal(changed.open_items, base.open_items)
    before, after = _rows(base), _rows(changed)
    assert sorted(after.index) == sorted(before.index)  # the same customers are worked
    same = {
        "recovery_rates": _untouched_by_rate(base, key),
        "grade_rates": _untouched_by_rate(base, key),
        "cadence_days": before["last_channel"].ne(key),
        "weights": pd.Series(False, index=before.index),  # every score is rescaled
        "costs": pd.Series(False, index=before.index),
    }[name]
    free = {
        "recovery_rates": ("expected_recovery_base_minor", *COST_DECIDES),
        "grade_rates": ("provision_base_minor",),
        "cadence_days": ("next_contact_date", "window", "held_reason"),
        "weights": (*PRIORITY, *FACTOR_COLUMNS),
        "costs": COST_DECIDES,
    }[name]
    # Customers the key cannot reach are unchanged in every column.
    pd.testing.assert_frame_equal(after[same], before[same], check_like=True)
    # Every customer is unchanged outside the columns the key decides (the worklist's order
    # follows the priority, so it is compared by customer).
    kept = [c for c in before.columns if c not in free]
    pd.testing.assert_frame_equal(after[kept], before[kept])
    customers = [c for c in base.customers.columns if c not in free]
    pd.testing.assert_frame_equal(
        _by_id(changed.customers)[customers[1:]], _by_id(base.customers)[customers[1:]]
    )
    if name == "grade_rates":
        other = base.open_items["grade"].astype(str).ne(key)
        pd.testing.assert_series_equal(
            changed.open_items.loc[other, "provision_base_minor"],
            base.open_items.loc[other, "provision_base_minor"],
        )


def _untouched_by_rate(result, grade: str) -> pd.Series:
    """Customers with no item of this grade (overdue or not)."""
    items = result.open_items
    touched = set(items.loc[items["grade"].astype(str).eq(grade), "customer_id"])
    frame = _rows(result)
    return ~frame.index.isin(list(touched))
