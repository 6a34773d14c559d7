"""Computes the .deb's Depends: from the shared libraries the one-folder bundle links.

Every ELF file of the bundle is read for its DT_NEEDED entries (``readelf -d``). A library
the bundle carries itself needs nothing; any other is looked up in the system's linker cache,
mapped to the Debian package that owns it, and given the minimum version that package's
``shlibs`` file declares. A library that is neither in the bundle nor installed stops the
build, since the installed program could not start without it.

Usage: python packaging/deb/depends.py BUNDLE_DIR [--also "fontconfig" ...]
Prints the comma-separated Depends value on one line.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[(?P<soname>[^\]]+)\]")
LDCONFIG_ENTRY = re.compile(r"^\s*(?P<soname>\S+) \((?P<flags>[^)]*)\) => (?P<path>\S+)$")


class MissingLibrary(Exception):
    """A library the bundle links that neither the bundle nor the system provides."""


def elf_files(bundle: Path) -> list[Path]:
    """Regular files under ``bundle`` that are ELF objects (executables and shared libraries)."""
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def needed_sonames(path: Path) -> set[str]:
    """The DT_NEEDED sonames of one ELF file."""
    result = subprocess.run(
        ["readelf", "--dynamic", "--wide", str(path)], capture_output=True, text=True, check=True
    )
    return {match["soname"] for match in NEEDED.finditer(result.stdout)}


def linker_cache(*, multiarch: str) -> dict[str, Path]:
    """soname -> path for the host architecture, from ``ldconfig -p``."""
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    cache: dict[str, Path] = {}
    for line in listing.splitlines():
        match = LDCONFIG_ENTRY.match(line)
        if match and f"/{multiarch}/" in match["path"]:
            cache.setdefault(match["soname"], Path(match["path"]))
    return cache


def owning_package(path: Path) -> str:
    """The installed Debian package that ships ``path`` (merged /usr spellings tried too)."""
    candidates = {str(path), str(path.resolve())}
    candidates |= {c.removeprefix("/usr") for c in list(candidates) if c.startswith("/usr/lib")}
    candidates |= {"/usr" + c for c in list(candidates) if c.startswith("/lib")}
    for candidate in sorted(candidates):
        result = subprocess.run(["dpkg-query", "--search", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    raise MissingLibrary(f"{path} belongs to no installed package")


def shlibs_dependency(*, package: str, soname: str) -> str:
    """The dependency ``package`` declares for ``soname`` in its shlibs file, else its bare name."""
    name, _, version = soname.partition(".so")
    version = version.lstrip(".")
    control = subprocess.run(
        ["dpkg-query", "--control-path", package, "shlibs"], capture_output=True, text=True
    ).stdout.strip()
    if control:
        for line in Path(control).read_text(encoding="utf-8").splitlines():
            fields = line.split(maxsplit=2)
            if len(fields) == 3 and fields[:2] == [name, version]:
                return fields[2].split(",")[0].strip()
    return package


def depends(bundle: Path, *, also: list[str]) -> list[str]:
    """The sorted Depends entries for ``bundle`` plus the ``also`` entries given as they are."""
    provided = {path.name for path in bundle.rglob("*")}
    cache = linker_cache(multiarch=sysconfig.get_config_var("MULTIARCH") or "")
    wanted: dict[str, str] = {}
    missing: set[str] = set()
    for path in elf_files(bundle):
        for soname in needed_sonames(path) - provided - wanted.keys():
            if soname in cache:
                package = owning_package(cache[soname])
                wanted[soname] = shlibs_dependency(package=package, soname=soname)
            else:
                missing.add(soname)
    if missing:
        raise MissingLibrary(f"the bundle links libraries that are not installed: {' '.join(sorted(missing))}")
    return sorted(set(wanted.values()) | set(also))


def main(argv: list[str] | None = None) -> int:
    """Command line entry: print the Depends value for a bundle folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--also", action="append", default=[], metavar="DEPENDENCY")
    args = parser.parse_args(argv)
    try:
        print(", ".join(depends(args.bundle, also=args.also)))
    except MissingLibrary as err:
        print(f"depends: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
