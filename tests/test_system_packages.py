"""README's Linux line names exactly the system packages the app needs (issue 12).

`ldd` lists every shared library Qt's xcb platform plugin (`libqxcb.so`) and the XCB integration
library it loads (`libQt6XcbQpa.so.6`) pull in from the installed PySide6 wheel, and likewise for
the app's other compiled modules. Every library the wheels do not ship must be in `LIBRARIES`
with its Debian 12 package; a library missing from the map fails the test. Each package is then
exactly one of:

- named on README's `apt-get install` line (Qt's own libraries ask for it);
- `BASE`: on every Debian and Ubuntu system (the required packages and their dependencies);
- `COMES_WITH[package]`: installed by apt as a dependency of a package README names.

README's line names nothing else besides `FOR_SOURCE` (what `make run` needs). `.ci/run` installs
every package README names. Where dpkg is there (Debian, Ubuntu) the map itself is checked
against the system: the file of each library belongs to its package (or to its Ubuntu 24.04
`t64` rename), each `BASE` package is in the required packages' dependencies, each
`COMES_WITH` package is among its parent's dependencies.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("ldd") is None,
    reason="ldd and Debian packages: Linux only",
)

# Library (soname) -> the Debian 12 package that ships it.
LIBRARIES = {
    # X11 and its XCB extensions (the xcb platform plugin)
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libbsd.so.0": "libbsd0",
    "libmd.so.0": "libmd0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    # OpenGL and EGL (libglvnd)
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    # fonts
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libexpat.so.1": "libexpat1",
    "libpng16.so.16": "libpng16-16",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libz.so.1": "zlib1g",
    # GLib and D-Bus
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libsystemd.so.0": "libsystemd0",
    "libcap.so.2": "libcap2",
    "libgcrypt.so.20": "libgcrypt20",
    "libgpg-error.so.0": "libgpg-error0",
    "liblzma.so.5": "liblzma5",
    "liblz4.so.1": "liblz4-1",
    "libzstd.so.1": "libzstd1",
    # C and C++ run time
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libpthread.so.0": "libc6",
    "libdl.so.2": "libc6",
    "librt.so.1": "libc6",
    "libresolv.so.2": "libc6",
    "libutil.so.1": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
}

# On every Debian 12 and Ubuntu system, however minimal (required packages and what they need).
BASE = {
    "libc6",
    "libgcc-s1",
    "libstdc++6",
    "zlib1g",
    "libzstd1",
    "liblzma5",
    "liblz4-1",
    "libsystemd0",
    "libcap2",
    "libgcrypt20",
    "libgpg-error0",
    "libpcre2-8-0",
    "libmd0",
}

# Needed only by other system libraries: apt installs them with the package on the right.
COMES_WITH = {
    "libxau6": "libxcb1",
    "libxdmcp6": "libxcb1",
    "libbsd0": "libxdmcp6",
    "libglx0": "libgl1",
    "libglvnd0": "libgl1",
    "libexpat1": "libfontconfig1",
    "libpng16-16": "libfreetype6",
    "libbrotli1": "libfreetype6",
}

# On README's line for running from a checkout (`make run`), not for Qt.
FOR_SOURCE = {"python3-venv", "make"}


def pyside_qt() -> Path:
    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "Qt"


def xcb_plugin_files() -> list[Path]:
    qt = pyside_qt()
    files = [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]
    for path in files:
        assert path.is_file(), f"the PySide6 wheel has no {path}"
    return files


def app_module_files() -> list[Path]:
    """The compiled modules the app and its libraries load (besides the xcb plugin)."""
    files: list[Path] = []
    for name in ("PySide6", "shiboken6"):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        folder = Path(spec.origin).parent
        for module in ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets"):
            files += folder.glob(f"{module}.*.so")
        files += folder.glob("libshiboken6*.so*") if name == "shiboken6" else []
    for name in ("sqlcipher3", "psycopg_binary", "pypdfium2_raw", "_argon2_cffi_bindings", "numpy"):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        files += Path(spec.origin).parent.rglob("*.so*")
    return sorted(path for path in files if path.is_file())


def system_libraries(files: list[Path]) -> dict[str, str | None]:
    """Every library `ldd` lists for the files that no wheel ships: soname -> its path, or None
    when `ldd` says "not found"."""
    site = pyside_qt().parents[1]  # site-packages: every wheel's own libraries
    found: dict[str, str | None] = {}
    for file in files:
        out = subprocess.run(["ldd", str(file)], capture_output=True, text=True, check=True)
        for line in out.stdout.splitlines():
            line = line.strip()
            if "=>" in line:
                name, _, where = (part.strip() for part in line.partition("=>"))
                path = None if where.startswith("not found") else where.split(" (")[0]
            elif line.startswith("/"):  # the dynamic loader itself
                path = line.split(" (")[0]
                name = Path(path).name
            else:  # linux-vdso.so.1, statically linked
                continue
            if path is not None and Path(path).resolve().is_relative_to(site.resolve()):
                continue
            if found.get(name) is None:
                found[name] = path
    return found


def readme_packages() -> set[str]:
    """The packages on README's `apt-get install` line that names the Qt libraries."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line for line in text.splitlines() if "apt-get install" in line and "libxcb" in line]
    assert len(lines) == 1, "README should have one apt-get install line with the Qt libraries"
    words = lines[0].split("apt-get install", 1)[1].split()
    return {word for word in words if not word.startswith("-")}


def ci_packages() -> set[str]:
    return set(re.findall(r"[a-z0-9][a-z0-9.+-]+", (ROOT / ".ci/run").read_text()))


def needs(packages: set[str]) -> tuple[set[str], set[str]]:
    """(what README must name, the packages the map says arrive another way)."""
    other = {package for package in packages if package in BASE or package in COMES_WITH}
    return packages - other, other


@pytest.fixture(scope="module")
def xcb_libraries() -> dict[str, str | None]:
    return system_libraries(xcb_plugin_files())


def test_every_library_of_the_xcb_plugin_is_mapped_and_installed(xcb_libraries):
    assert "libxcb-icccm.so.4" in xcb_libraries  # ldd did read the plugin's own needs
    unmapped = sorted(set(xcb_libraries) - set(LIBRARIES))
    assert not unmapped, f"add these libraries to LIBRARIES (dpkg -S tells the package): {unmapped}"
    missing = {name: LIBRARIES[name] for name, path in xcb_libraries.items() if path is None}
    assert not missing, f"not installed (README's line should have installed them): {missing}"


def test_readme_names_exactly_the_packages_qt_needs(xcb_libraries):
    named = readme_packages()
    must, _other = needs({LIBRARIES[name] for name in xcb_libraries})
    assert sorted(must - named) == [], "README's apt-get line lacks these packages"
    extra = named - must - FOR_SOURCE
    assert sorted(extra) == [], "README's apt-get line names packages nothing here needs"
    for package, parent in COMES_WITH.items():
        while parent in COMES_WITH:
            parent = COMES_WITH[parent]
        assert parent in named, f"{package} comes with {parent}, which README should name"


def test_ci_installs_what_readme_names():
    assert sorted(readme_packages() - ci_packages()) == []


def test_the_apps_other_compiled_modules_need_nothing_more():
    libraries = system_libraries(app_module_files())
    unmapped = sorted(set(libraries) - set(LIBRARIES))
    assert not unmapped, f"add these libraries to LIBRARIES: {unmapped}"
    missing = sorted(name for name, path in libraries.items() if path is None)
    assert not missing, f"not installed: {missing}"
    must, _other = needs({LIBRARIES[name] for name in libraries})
    assert sorted(must - readme_packages()) == []


# The map against the system's package database (Debian and Ubuntu) ------------------------------

needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="no dpkg here")


def same_package(owner: str, package: str) -> bool:
    return owner in (package, f"{package}t64")  # Ubuntu 24.04 renamed some (64-bit time_t)


def owners(paths: list[str]) -> dict[str, str]:
    """The package each file belongs to, by one `dpkg -S` (dpkg knows a library under /lib or
    under /usr/lib, not both, so each path is asked both ways)."""
    asked = {}
    for path in paths:
        alias = path.removeprefix("/usr") if path.startswith("/usr/") else f"/usr{path}"
        for candidate in (path, alias, str(Path(path).resolve())):
            asked.setdefault(candidate, path)
    out = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        package, file = line.split(": ", 1)
        if file.strip() in asked:
            found.setdefault(asked[file.strip()], package.split(":")[0].split(",")[0].strip())
    return found


def installed_dependencies() -> tuple[dict[str, set[str]], set[str]]:
    """Each installed package's Depends and Pre-Depends (every alternative, t64 names folded),
    and the required and essential packages."""
    out = subprocess.run(
        [
            "dpkg-query",
            "-W",
            "-f=${Package}\t${Priority}\t${Essential}\t${Pre-Depends}, ${Depends}\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    depends: dict[str, set[str]] = {}
    required: set[str] = set()
    for line in out.splitlines():
        package, priority, essential, relations = line.split("\t")
        names = {re.split(r"[\s(:]", alt.strip())[0] for alt in re.split(r"[,|]", relations)}
        depends[package.removesuffix("t64")] = {n.removesuffix("t64") for n in names if n}
        if priority == "required" or essential == "yes":
            required.add(package.removesuffix("t64"))
    return depends, required


def closure(start: set[str], depends: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo += depends.get(package, ())
    return seen


@needs_dpkg
def test_the_map_agrees_with_dpkg(xcb_libraries):
    libraries = {**xcb_libraries, **system_libraries(app_module_files())}
    found = owners([path for path in libraries.values() if path])
    wrong = {}
    for name, path in libraries.items():
        owner = found.get(path) if path else None
        if owner is not None and not same_package(owner, LIBRARIES[name]):
            wrong[name] = f"dpkg says {owner}, the map says {LIBRARIES[name]}"
    assert wrong == {}
    assert len(found) > 20  # dpkg did answer for the libraries
    depends, required = installed_dependencies()
    base = closure(required, depends)
    assert sorted(BASE - base) == [], "not in the required packages' dependencies"
    for package, parent in COMES_WITH.items():
        if parent in depends:  # installed, so its dependencies are known
            assert package in closure({parent}, depends), f"{parent} does not bring {package}"
