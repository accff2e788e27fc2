import json
import re

import pytest

from kernel.clauses import (
    CLAUSE_NUMBER,
    TEMPLATE_CLAUSE_NUMBER,
    clause_depth,
    clause_in_reference,
    clause_key,
    clause_list_regex,
    format_clause_list,
    is_within,
    parent_clause,
    parse_clause_list,
    sort_clauses,
    top_clause,
    with_parents,
)


def test_clauses_sort_by_number_not_by_text():
    assert sort_clauses(["8.10", "8.9", "10.1", "4"]) == ["4", "8.9", "8.10", "10.1"]
    assert clause_key("8.5.1") == (8, 5, 1)


def test_prefixes_and_parents():
    assert is_within("8.5.1", "8.5") and is_within("8.5", "8.5")
    assert not is_within("8.50", "8.5")
    assert with_parents("8.5.1") == ["8", "8.5", "8.5.1"]
    assert top_clause("10.2") == "10"


def test_parse_and_store_a_clause_list():
    assert parse_clause_list(" 5.2.1; 5.2.2 ,8.1  8.1") == ["5.2.1", "5.2.2", "8.1", "8.1"]
    assert parse_clause_list(None) == []
    assert format_clause_list(["5.2.1", "5.2.2", "5.2.1"]) == "5.2.1, 5.2.2"
    assert CLAUSE_NUMBER.match("8.5.1") and not CLAUSE_NUMBER.match("8.x")


@pytest.mark.parametrize(
    ("stored", "number", "found"),
    [
        (["5.2.1", "8.5.1"], "8.5", True),
        (["5.2.1", "8.5.1"], "8.5.1", True),
        (["8.5"], "8.5", True),
        (["8.50"], "8.5", False),
        (["18.5"], "8.5", False),
        (["8.5.1"], "8.5.1.2", False),
    ],
)
def test_the_stored_list_regex_finds_a_clause_and_its_sub_clauses(stored, number, found):
    # the JSON text as SQLite stores it and as PostgreSQL prints jsonb, compact or spaced
    for text in (json.dumps(stored), json.dumps(stored, separators=(",", ":"))):
        assert bool(re.search(clause_list_regex(number), text)) is found


@pytest.mark.parametrize(
    ("number", "reference", "inside"),
    [
        ("4.3", "4.1–4.4, 5.1", True),
        ("5.1", "4.1–4.4, 5.1", True),
        ("5.2", "4.1–4.4, 5.1", False),
        ("8.7.2", "8.x", True),
        ("9.1", "8.x", False),
        ("10.2", "all", True),
        ("8.5.1", "8.5", True),
    ],
)
def test_clause_in_a_roadmap_reference(number, reference, inside):
    assert clause_in_reference(number, reference) is inside


def test_depth_and_parent_of_a_clause():
    assert [clause_depth(n) for n in ("8", "8.5", "8.5.1")] == [0, 1, 2]
    assert [parent_clause(n) for n in ("8", "8.5", "8.5.1", "8.10.1")] == [None, "8", "8.5", "8.10"]


def test_a_template_may_number_deeper_than_the_standard():
    assert TEMPLATE_CLAUSE_NUMBER.match("1.2.3.4.5.6.7") and TEMPLATE_CLAUSE_NUMBER.match("100")
    assert not CLAUSE_NUMBER.match("1.2.3.4.5.6.7")
    assert not TEMPLATE_CLAUSE_NUMBER.match("8.x") and not TEMPLATE_CLAUSE_NUMBER.match("8.")
