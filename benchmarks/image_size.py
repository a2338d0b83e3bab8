"""The action image's expected size: the base image plus what the Dockerfile installs.

No Docker daemon needed: the Dockerfile's `pip install` lines are replayed into a temporary
directory (Linux x86-64 wheels for the image's Python, byte-compiled as pip does in the
image) and measured package by package; the base image's size is a stated figure (see
BASE_IMAGE_MB; pass --base-mb with one measured by `docker image ls` to replace it).

Usage: python benchmarks/image_size.py [--base-mb 124] [--compare jsonschema==4.25.1]
  --compare REQ...  also measure the image as it would be with these extra requirements
                    (for example jsonschema, the pure-Python JSON Schema library)
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, table

#: python:3.12-slim (Debian trixie), linux/amd64, uncompressed, as `docker image ls` shows it
#: (~42 MB compressed on the registry). An estimate: measure it with --base-mb when you can.
BASE_IMAGE_MB = 124.0


def dockerfile_requirements() -> tuple[str, list[str]]:
    """The base image and the `pkg==version` pins of the Dockerfile's RUN pip install lines."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    base = re.search(r"^FROM\s+(\S+)", text, re.MULTILINE)
    pins = []
    for line in text.splitlines():
        if line.strip().startswith("RUN") and "pip install" in line:
            words = line.split()
            pins += [word for word in words if "==" in word]
            for flag, path in itertools.pairwise(words):
                if flag == "-r":  # the image's copy of requirements.txt
                    pins += requirements_file(ROOT / Path(path).name)
    return (base.group(1) if base else "?"), pins


def requirements_file(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def python_version(image: str) -> str:
    match = re.search(r"python:(\d+\.\d+)", image)
    return match.group(1) if match else f"{sys.version_info[0]}.{sys.version_info[1]}"


def install(target: Path, requirements: list[str], version: str) -> None:
    subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--target", str(target), "--only-binary=:all:", "--python-version", version,
            "--platform", "manylinux2014_x86_64", "--implementation", "cp", *requirements,
        ],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--target", str(target), "--no-deps", "--no-compile", str(ROOT),
        ],
        check=True,
    )  # fmt: skip
    # pip byte-compiles what it installs in the image; do the same here
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(target)], check=False, capture_output=True
    )


#: distribution (or helper folder) -> the package it belongs to
_ALIASES = {"pyyaml": "yaml", "cekura-gate": "gate", "bin": "gate"}


def sizes(target: Path) -> dict[str, int]:
    """Bytes per top-level package (dist-info folded into its package)."""
    out: dict[str, int] = {}
    for entry in target.iterdir():
        name = entry.name.split("-")[0].split(".")[0].lower().lstrip("_").replace("_", "-")
        name = _ALIASES.get(name, name)
        if entry.is_dir():
            total = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file())
        else:
            total = entry.stat().st_size
        out[name] = out.get(name, 0) + total
    return out


def measure(requirements: list[str], version: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="cekura-gate-image-") as tmp:
        target = Path(tmp) / "site-packages"
        install(target, requirements, version)
        return sizes(target)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-mb", type=float, default=BASE_IMAGE_MB)
    parser.add_argument("--compare", nargs="*", default=[])
    args = parser.parse_args(argv)
    base, pins = dockerfile_requirements()
    version = python_version(base)
    found = measure(pins, version)
    mb = 1024 * 1024
    rows = [(name, f"{size / mb:.2f}") for name, size in sorted(found.items(), key=lambda i: -i[1])]
    added = sum(found.values()) / mb
    rows.append(("**installed by the Dockerfile**", f"**{added:.1f}**"))
    rows.append((f"base image {base} (stated)", f"{args.base_mb:.0f}"))
    rows.append(("**expected image**", f"**{args.base_mb + added:.0f}**"))
    print(table(("layer / package", "MiB on disk"), rows))
    print(f"\npins: {' '.join(pins)}; wheels for CPython {version} on linux x86-64")
    if args.compare:
        other = sum(measure([*pins, *args.compare], version).values()) / mb
        print(
            f"with {' '.join(args.compare)} as well: {other:.1f} MiB installed "
            f"(+{other - added:.1f} MiB)"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    sys.exit(main(sys.argv[1:]))
