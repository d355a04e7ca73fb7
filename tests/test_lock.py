"""The install does not drift: requirements.lock holds every package the site and
its tests need, torch aside, at one version with its hashes; `make lock` makes it
from pyproject.toml, and the venv holds exactly what it says."""

import re
import tomllib
from importlib.metadata import distributions, requires, version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support import ROOT

LOCK = (ROOT / "requirements.lock").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN_RE = re.compile(r"^([A-Za-z0-9][\w.-]*)==(\S+?)\s", re.M)
UNLOCKED = {"torch"}  # installed apart, exactly (see the Makefile)
INSTALLERS = {"pip", "uv"}  # what installs the venv, pinned in the Makefile
MAKEFILE = (ROOT / "Makefile").read_text()


def pins() -> dict[str, str]:
    return {canonicalize_name(name): ver for name, ver in PIN_RE.findall(LOCK)}


def requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(text) for text in listed]


def required_by_pyproject() -> set[str]:
    """The pins whose `# via` comment names our pyproject.toml: its direct ones."""
    names, current = set(), None
    for line in LOCK.splitlines():
        if pin := PIN_RE.match(line + " "):
            current = canonicalize_name(pin.group(1))
        elif "learning-rate-site (pyproject.toml)" in line and current:
            names.add(current)
    return names


def test_every_requirement_is_locked_at_a_version_pyproject_allows():
    locked = pins()
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        if name in UNLOCKED:
            assert name not in locked, f"{name} is installed apart: keep it unlocked"
            continue
        assert name in locked, f"{requirement} is not in the lock: run `make lock`"
        allowed = requirement.specifier.contains(locked[name], prereleases=True)
        assert allowed, f"lock: {name}=={locked[name]}, pyproject: {requirement}"


def test_the_lock_was_made_from_the_requirements_pyproject_lists_now():
    listed = {canonicalize_name(r.name) for r in requirements()} - UNLOCKED
    assert required_by_pyproject() == listed, "run `make lock` after editing pyproject"


def test_every_pin_carries_hashes_so_the_installer_checks_what_it_installs():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK)
    pinned = [block for block in blocks if PIN_RE.match(block + " ")]
    assert len(pinned) == len(pins()) > 50
    assert all("--hash=sha256:" in block for block in pinned)


def test_the_venv_holds_exactly_the_locked_versions():
    """`make` installs the lock with --require-hashes; a lock edited by hand (or a
    venv installed some other way) fails here instead of running untested code."""
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in distributions()
    }
    locked = pins()
    wrong = {
        name: (ver, installed.get(name))
        for name, ver in locked.items()
        if installed.get(name) != ver
    }
    again = "`rm .venv/.installed && make test`"
    assert wrong == {}, f"locked version, installed version: run {again}"
    # torch's own requirements that the lock lacks: CUDA's, where torch has CUDA.
    torchs = {canonicalize_name(Requirement(r).name) for r in requires("torch") or []}
    extra = set(installed) - set(locked) - UNLOCKED - torchs - INSTALLERS
    assert extra == set(), "installed but not in the lock: `rm -rf .venv && make test`"


def test_the_lock_holds_no_cuda_packages():
    """The site runs on the CPU; a lock made against PyPI's CUDA torch would make
    every install download them (see LOCK_PIP_ARGS in the Makefile)."""
    cuda = [name for name in pins() if name.startswith(("nvidia-", "triton"))]
    assert cuda == []


def test_the_installers_are_the_versions_the_makefile_pins():
    """pip and uv check the lock's hashes; they are not in the lock themselves, so
    their pins in the Makefile are held here."""
    pinned = {
        "pip": re.search(r"^PIP_VERSION := (\S+)$", MAKEFILE, re.M)[1],
        "uv": re.search(r"^UV := uv==(\S+)$", MAKEFILE, re.M)[1],
    }
    installed = {name: version(name) for name in INSTALLERS}
    assert installed == pinned, "run `rm .venv/.installed && make test`"
