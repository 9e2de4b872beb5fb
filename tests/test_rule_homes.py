"""Each rule has one home (docs/quality.md): keys, relationships and accepted values are dbt data
tests; the Great Expectations suites hold what dbt does not (ranges, formats, column pairs,
conditional rules, distributions and shares, row-count bands). A GX expectation that repeats a dbt
test of the same column fails here, and so does one of the kinds that belong to dbt."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from expectations.catalog import load_suite, suite_names
from orchestration.project import dbt_project

# GX expectation type -> the dbt generic test that holds the same rule
SAME_RULE = {
    "expect_column_values_to_not_be_null": "not_null",
    "expect_column_values_to_be_unique": "unique",
    "expect_column_values_to_be_in_set": "accepted_values",
    "expect_compound_columns_to_be_unique": "unique_combination_of_columns",
}


def dbt_column_tests(manifest: dict) -> dict[tuple[str, object], set[str]]:
    """(model, column) -> the generic dbt tests on it; a combination test's column is the tuple
    of its columns."""
    tests: dict[tuple[str, object], set[str]] = defaultdict(set)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata") or not node.get("attached_node"):
            continue
        name = node["test_metadata"]["name"]
        model = manifest["nodes"][node["attached_node"]]["name"]
        column: object = node.get("column_name")
        if name == "unique_combination_of_columns":
            column = tuple(_argument(node, "combination_of_columns"))
        if name == "not_null_columns":  # a model's never-null columns, one test for all
            for column in _argument(node, "column_names"):
                tests[(model, column)].add("not_null")
            continue
        tests[(model, column)].add(name)
    return tests


def _argument(test: dict, name: str) -> list:
    kwargs = test["test_metadata"]["kwargs"]
    return kwargs.get(name) or kwargs.get("arguments", {}).get(name)


def duplicates(suites: dict[str, dict], tests: dict[tuple[str, object], set[str]]) -> list[str]:
    """GX expectations that repeat a dbt test of the same column (a conditional one, with a
    ``row_condition``, is a rule of its own)."""
    found = []
    for suite in suites.values():
        model = suite["relation"].split(".")[1]
        for exp in suite["expectations"]:
            kwargs = exp["kwargs"]
            same = SAME_RULE.get(exp["type"])
            if same is None or "row_condition" in kwargs:
                continue
            column = kwargs.get("column") or tuple(kwargs.get("column_list", ()))
            if same in tests.get((model, column), set()):
                found.append(f"{model}.{column}: {exp['type']} repeats dbt test {same}")
    return found


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


@pytest.fixture(scope="module")
def suites() -> dict[str, dict]:
    return {name: load_suite(name) for name in suite_names()}


def test_no_gx_expectation_repeats_a_dbt_test(manifest, suites):
    tests = dbt_column_tests(manifest)
    assert tests[("fct_escalations", "escalation_key")] >= {"unique", "not_null"}  # the manifest is read
    assert tests[("fct_calls", "transfers")] == {"not_null"}  # read from fct_calls' not_null_columns
    assert duplicates(suites, tests) == []


def test_keys_and_accepted_values_are_dbt_tests_only(suites):
    """Unconditional not-null, unique and in-set rules belong to dbt, even where dbt lacks them."""
    misplaced = [
        f"{name}: {exp['type']}({exp['kwargs'].get('column') or exp['kwargs'].get('column_list')})"
        for name, suite in suites.items()
        for exp in suite["expectations"]
        if exp["type"] in SAME_RULE and "row_condition" not in exp["kwargs"]
    ]
    assert misplaced == []


def test_the_duplicate_finder_finds_a_planted_duplicate(manifest, suites):
    """The check can fail: a suite that repeats dbt's unique key test is caught, a conditional
    not-null on the same column is not."""
    planted = {
        "fct_escalations": {
            **suites["fct_escalations"],
            "expectations": [
                {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "escalation_key"}},
                {
                    "type": "expect_column_values_to_not_be_null",
                    "kwargs": {
                        "column": "escalation_key",
                        "row_condition": {
                            "type": "comparison",
                            "column": {"name": "is_open"},
                            "operator": "==",
                            "parameter": True,
                        },
                    },
                },
            ],
        }
    }
    assert duplicates(planted, dbt_column_tests(manifest)) == [
        "fct_escalations.escalation_key: expect_column_values_to_be_unique repeats dbt test unique"
    ]
