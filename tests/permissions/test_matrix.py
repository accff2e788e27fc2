"""Enumerates the URLconf and checks every pattern × role against the cases in cases_*.py.

The world (project, one user per role) is built once for the module, the objects a case needs once
for its six roles; every request runs in a savepoint that is rolled back, so each role sees the same
untouched state. See held_transaction in tests/conftest.py.
"""

import copy
import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import permissions
from tests.conftest import held_transaction
from tests.permissions.matrix import ROLES


def _load_cases():
    cases = []
    for module in pkgutil.iter_modules(permissions.__path__):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"tests.permissions.{module.name}").CASES)
    return cases


CASES = _load_cases()


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def test_every_url_pattern_has_a_case():
    covered = {case.name for case in CASES}
    names = {name for name in _url_names() if not name.startswith("admin:")}
    missing = sorted(names - covered)
    assert not missing, f"URL patterns without a permission-matrix case: {missing}"
    stale = sorted(covered - names - {"admin:index"})
    assert not stale, f"Cases for URL names that no longer exist: {stale}"


def test_cases_name_every_role():
    for case in CASES:
        assert set(case.expect) == set(ROLES), f"{case.id} does not give a status for every role"


@pytest.fixture(scope="module")
def case_world(request, module_world, django_db_blocker):
    """The objects one case needs, built once for all its roles in a savepoint of the module's world."""
    case = request.param
    with held_transaction(django_db_blocker):
        world = module_world.without_objects()
        with django_db_blocker.unblock():
            case.url(world)
            if case.data:
                case.data(world)
        yield world


@pytest.fixture
def world(case_world, db):
    """Each test gets its own copy, so nothing it changes in memory reaches the next role."""
    return copy.deepcopy(case_world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case_world", CASES, ids=lambda c: c.id, indirect=True)
def test_permission_matrix(request, role, world, client_for):
    case = request.node.callspec.params["case_world"]
    client = client_for(role)
    url = case.url(world)
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    if case.method == "get":
        response = client.get(url, **headers)
    elif case.method == "patch":  # the API's partial updates take JSON
        response = client.patch(url, case.data(world) if case.data else {}, content_type="application/json")
    elif case.method == "delete":
        response = client.delete(url)
    else:
        response = client.post(url, case.data(world) if case.data else {}, **headers)
    expected = case.expect[role]
    assert response.status_code == expected, (
        f"{case.id} as {role}: expected {expected}, got {response.status_code}"
    )
    if expected == 302 and role == "anonymous" and case.signs_in:
        assert response["Location"] == f"/projects/{world.project.pk}/"
    elif expected == 302 and role == "anonymous":
        assert "login" in response["Location"]
    if case.follow_check and response.status_code < 400 and role not in ("anonymous", "outsider"):
        case.follow_check(world, response, role)
