"""environment.yml (conda, Binder) mirrors the pinned pip set-up, and the pins are complete."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].split(";")[0].strip()  # an environment marker is not part of the pin
        if line:
            name, _, version = line.partition("==")
            assert version, f"{path.name}: '{line}' is not pinned with =="
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_environment_yml_installs_the_pinned_requirements_and_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps, "conda Python must match the venv's Python 3.11"
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-r requirements.txt" in pip_section
    assert "-e ." in pip_section
    conda_packages = [d for d in deps if isinstance(d, str)]
    assert set(conda_packages) == {"python=3.11", "pip"}, "all other packages must come from the pins"


def test_every_direct_requirement_is_pinned_identically_in_the_lock():
    direct = _pins(ROOT / "requirements.in")
    locked = _pins(ROOT / "requirements.txt")
    for name, version in direct.items():
        assert locked.get(name) == version, f"{name}: requirements.in {version} != requirements.txt {locked.get(name)}"


def test_package_dependencies_are_all_pinned():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _pins(ROOT / "requirements.txt")
    for dep in project["dependencies"]:
        name = re.sub(r"[-_.]+", "-", re.split(r"[<>=!\[; ]", dep)[0]).lower()
        assert name in locked, f"pyproject dependency {dep} has no pin in requirements.txt"
    assert project["requires-python"].startswith(">=3.11")


def test_installed_versions_match_the_pins():
    from importlib.metadata import PackageNotFoundError, version

    locked = _pins(ROOT / "requirements.txt")
    for name in ["pandas", "numpy", "scikit-learn", "matplotlib", "vadersentiment", "nbval"]:
        try:
            assert version(name) == locked[name], name
        except PackageNotFoundError:  # pragma: no cover - a broken environment
            raise AssertionError(f"{name} is pinned but not installed") from None
