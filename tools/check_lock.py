"""Fails when requirements.lock does not pin what pyproject.toml asks for: `./dev lock` updates it.

`./dev` installs the lock and then the project without its dependencies, so a dependency added to
pyproject.toml but not to the lock would silently be missing; this says so instead.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def locked_versions(lock: Path) -> dict[str, str]:
    versions = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        pin = line.split("#", 1)[0].strip()
        if pin:
            name, _, version = pin.partition("==")
            versions[canonicalize_name(name)] = version.strip()
    return versions


def unmet(pyproject: Path, lock: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["test"]]
    locked = locked_versions(lock)
    problems = []
    for requirement in wanted:
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not in {lock.name}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} but {lock.name} pins {version}")
    return problems


def main() -> int:
    problems = unmet(ROOT / "pyproject.toml", ROOT / "requirements.lock")
    for problem in problems:
        print(f"pyproject.toml asks for {problem}", file=sys.stderr)
    if problems:
        print("requirements.lock is out of date: run ./dev lock", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
