"""No import circle among the project's modules, counting imports inside functions too: a circle
hidden in a function is still a circle (issue 20 §1). A service that queues its own task does it by
name (kernel.queueing.named), since the tasks module imports the service."""

from pathlib import Path

from .test_layers import ROOT, _module_name, app_packages, imports


def module_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Every first-party module (migrations aside) -> the first-party modules it imports."""
    modules = {
        _module_name(path): path
        for package in app_packages(root)
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    graph = {}
    for name, path in modules.items():
        targets = set()
        for _, imported in imports(path):
            parts = imported.split(".")
            while parts and ".".join(parts) not in modules:  # `from a.b import f`: the module a.b
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_through_others():
    found = cycles(module_graph())
    assert not found, f"Import circles (module-level or inside functions): {found}"


def test_the_check_finds_a_circle_through_a_function_level_import(tmp_path, monkeypatch):
    app = tmp_path / "someapp"
    app.mkdir()
    for name, text in {
        "apps.py": "",
        "__init__.py": "",
        "services.py": "def later():\n    from .tasks import job\n",
        "tasks.py": "from . import services\n",
        "views.py": "from .services import later\n",
    }.items():
        (app / name).write_text(text)
    monkeypatch.setattr("tests.architecture.test_layers.ROOT", tmp_path)  # _module_name reads it
    found = cycles(module_graph(tmp_path))
    assert found == [["someapp.services", "someapp.tasks"]]
