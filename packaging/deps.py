"""What the program needs at run time, read from the installed distribution's
metadata (pyproject.toml's ``dependencies``, as pip installed them), never from
a list kept here: a dependency another branch adds is frozen and put in the
wheelhouse without touching packaging/.

Used by shelterdesk.spec (what to collect) and wheelhouse.py (what to
download). Extras (dev, package) are left out: they are for building, not for
the shelter PC.
"""

from __future__ import annotations

from importlib import metadata

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = "shelterdesk"


def runtime_requirements(project: str = PROJECT) -> list[Requirement]:
    """The project's own pinned requirements, without the extras' ones."""
    out = []
    for text in metadata.requires(project) or ():
        req = Requirement(text)
        if req.marker is not None and "extra" in str(req.marker):
            continue
        out.append(req)
    return out


def runtime_closure(project: str = PROJECT) -> dict[str, metadata.Distribution]:
    """Every installed distribution the project needs at run time, its own
    requirements and theirs, markers evaluated for this interpreter and
    platform, by canonical name."""
    env = default_environment()
    seen: dict[str, metadata.Distribution] = {}
    todo = list(runtime_requirements(project))
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        dist = metadata.distribution(req.name)
        seen[name] = dist
        for text in dist.requires or ():
            todo.append(Requirement(text))
    return seen


def import_names(dists: dict[str, metadata.Distribution]) -> dict[str, list[str]]:
    """Top-level import names of each distribution (``PySide6`` for
    PySide6-Essentials, ``_cffi_backend`` and ``cffi`` for cffi…)."""
    by_dist: dict[str, list[str]] = {name: [] for name in dists}
    for module, owners in metadata.packages_distributions().items():
        for owner in owners:
            key = canonicalize_name(owner)
            if key in by_dist and "/" not in module and module.isidentifier():
                by_dist[key].append(module)
    return {k: sorted(set(v)) for k, v in by_dist.items()}


if __name__ == "__main__":
    closure = runtime_closure()
    for name, mods in sorted(import_names(closure).items()):
        print(f"{name}=={closure[name].version}\t{' '.join(mods)}")
