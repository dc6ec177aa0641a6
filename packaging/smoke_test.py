"""Smoke test of the built app (`make package`): runs the frozen executable as a person would.

    python3 packaging/smoke_test.py [dist/outreach]

Standard library only, and nothing imported from the project: what is checked is the frozen
folder alone. Everything happens in a throwaway folder (data, settings, XDG folders); the
passphrase and PIN are synthetic. Steps, each of which must exit as said:

1. `--version`, `--help` (`--lang fr` is used below only if `--help` lists `--lang`: the
   option is not there yet);
2. headless, on an encrypted folder: `init` (OUTREACH_PASSPHRASE; OUTREACH_NEW_PIN too, in case
   `init` asks a PIN), the database file must not be readable as plain SQLite; `receive`;
   `import-csv` of a small synthetic spreadsheet; `report monthly --month ... --out x.pdf
   --csv x.csv`, the PDF starting with %PDF; a wrong passphrase exits 3. Zone rules come from
   the bundled tzdata (PYTHONTZPATH points at an empty folder);
3. an unreachable PostgreSQL `--db-url` exits 3 (psycopg and its binary build load; a missing
   module would be exit 1, "something unexpected");
4. offscreen (`QT_QPA_PLATFORM=offscreen`), the app on a plain folder with
   OUTREACH_SMOKE_EXIT_AFTER_SHOWN=1 (`outreach_app/ui/smoke.py`): the main window shows with the
   store open, the first coordinator signs in (OUTREACH_SMOKE_PIN, the PIN set at `init`), every
   page is shown and loads, the Dashboard draws its charts (pyqtgraph), the window closes with
   its backup, exit 0;
5. the same on Qt's xcb platform under Xvfb, when `xvfb-run` is installed (else skipped, said);
6. on Linux, `install-linux.sh` into a throwaway prefix: desktop entry, icon, link
   (`desktop-file-validate` on the entry when installed).

Exit 0 when every step passed; else 1, after printing the failed step's output and log.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "zz-smoke-passphrase-not-secret"
PIN = "2468"
ORG = "ZZ-TEST Outreach"
SITE = "ZZ-TEST Drop-in"
ZONE = "America/Toronto"
STEP_TIMEOUT = 180  # seconds; the app's own smoke hook gives up after 90


class Failed(Exception):
    pass


class Smoke:
    def __init__(self, app_dir: Path, work: Path) -> None:
        self.exe = app_dir / ("outreach.exe" if os.name == "nt" else "outreach")
        self.app_dir = app_dir
        self.work = work
        self.lang: list[str] = []
        self.env = dict(os.environ)
        for name in ("OUTREACH_PASSPHRASE", "OUTREACH_NEW_PIN", "QT_QPA_PLATFORM", "DISPLAY"):
            self.env.pop(name, None)
        no_zones = work / "no-zoneinfo"
        no_zones.mkdir()
        self.env.update(
            {
                "HOME": str(work / "home"),
                "XDG_CONFIG_HOME": str(work / "config"),
                "XDG_DATA_HOME": str(work / "data-home"),
                "XDG_CACHE_HOME": str(work / "cache"),
                "XDG_RUNTIME_DIR": str(work / "runtime"),
                "PYTHONTZPATH": str(no_zones),  # zoneinfo then reads the bundled tzdata
                "TZ": ZONE,
                "LC_ALL": "C.UTF-8",
            }
        )
        for name in ("home", "config", "data-home", "cache", "runtime"):
            (work / name).mkdir(mode=0o700)

    def run(
        self,
        args: list[str],
        *,
        expect: int = 0,
        env: dict[str, str] | None = None,
        wrap: list[str] | None = None,
        data_dir: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        command = [*(wrap or []), str(self.exe), *args]
        started = time.monotonic()
        try:
            done = subprocess.run(
                command,
                env={**self.env, **(env or {})},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=STEP_TIMEOUT,
                cwd=self.work,
            )
        except subprocess.TimeoutExpired as error:
            raise Failed(f"{' '.join(args)}: no answer within {STEP_TIMEOUT} s") from error
        if done.returncode != expect:
            self.show_output(done, data_dir)
            raise Failed(f"{' '.join(args)}: exit {done.returncode}, expected {expect}")
        print(f"   ({' '.join(args)[:90]}: exit {expect}, {time.monotonic() - started:.1f} s)")
        return done

    @staticmethod
    def show_output(done: subprocess.CompletedProcess[str], data_dir: Path | None) -> None:
        print("---- stdout\n" + done.stdout + "---- stderr\n" + done.stderr, file=sys.stderr)
        for log in sorted((data_dir / "logs").glob("*")) if data_dir else []:
            print(f"---- {log}\n{log.read_text(errors='replace')}", file=sys.stderr)

    # Steps --------------------------------------------------------------------------------------

    def version_and_help(self) -> None:
        if not self.exe.is_file():
            raise Failed(f"no executable at {self.exe}: run `make package` first")
        print("   " + self.run(["--version"]).stdout.strip())
        if "--lang" in self.run(["--help"]).stdout:
            self.lang = ["--lang", "fr"]
            print("   --help lists --lang: the report below is written in French")
        else:
            print("   --help does not list --lang yet: the report below is in the default language")

    def headless_encrypted(self) -> None:
        folder = self.work / "encrypted"
        at = ["--data-dir", str(folder)]
        key = {"OUTREACH_PASSPHRASE": PASSPHRASE, "OUTREACH_NEW_PIN": PIN}
        self.run(
            [*self.lang, *at, "init", "--org", ORG, "--site", SITE, "--timezone", ZONE],
            env=key,
            data_dir=folder,
        )
        database = folder / "outreach.db"
        if not database.is_file():
            raise Failed(f"init made no {database}")
        if database.read_bytes()[:16] == b"SQLite format 3\x00":
            raise Failed("the encrypted folder's database is readable as plain SQLite")
        self.run([*at, "receive", "--site", SITE, "--item", "SYRINGE", "--qty", "500"], env=key)
        # Two days back is in the past in every zone; the month is that day's.
        day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)
        sheet = self.work / "zz-test-encounters.csv"
        sheet.write_text(
            "occurred_at,site,participant_code,new,people_served,syringes_returned,SYRINGE\n"
            f"{day}T10:15,{SITE},ZZTEST01,yes,1,10,10\n"
            f"{day}T11:30,{SITE},ZZTEST02,no,2,0,20\n"
            f"{day}T14:05,{SITE},,,1,5,5\n",
            encoding="utf-8",
        )
        done = self.run([*self.lang, *at, "import-csv", str(sheet)], env=key, data_dir=folder)
        print("   " + done.stdout.strip().replace("\n", "\n   "))
        # The frozen app found its French catalogue (without it every text falls back to English).
        if self.lang and "importées" not in done.stdout:
            raise Failed("--lang fr: import-csv did not answer in French (no catalogue?)")
        pdf, csv = self.work / "monthly.pdf", self.work / "monthly.csv"
        month = f"{day:%Y-%m}"
        report = ["report", "monthly", "--month", month, "--out", str(pdf), "--csv", str(csv)]
        self.run(
            [*self.lang, *at, *report],
            env=key,
            data_dir=folder,
        )
        head = pdf.read_bytes()[:5] if pdf.is_file() else b""
        if head != b"%PDF-":
            raise Failed(f"{pdf} is missing or is not a PDF (starts with {head!r})")
        if not csv.is_file() or not csv.read_text(encoding="utf-8").strip():
            raise Failed(f"{csv} is missing or empty")
        print(f"   monthly report for {month}: {pdf.stat().st_size:,} bytes of PDF")
        self.run([*at, "stock"], env={"OUTREACH_PASSPHRASE": "not the passphrase"}, expect=3)

    def postgres_unreachable(self) -> None:
        url = "postgresql+psycopg://zz_smoke@127.0.0.1:9/zz_smoke"  # port 9: nothing listens
        self.run(["--data-dir", str(self.work / "pg-logs"), "--db-url", url, "stock"], expect=3)

    def window(self, platform: str, wrap: list[str] | None = None) -> None:
        folder = self.work / f"plain-{platform}"
        init = ["init", "--org", ORG, "--site", SITE, "--no-encryption", "--timezone", ZONE]
        self.run(
            ["--data-dir", str(folder), *init],
            env={"OUTREACH_NEW_PIN": PIN},
            data_dir=folder,
        )
        env = {
            "QT_QPA_PLATFORM": platform,
            "OUTREACH_SMOKE_EXIT_AFTER_SHOWN": "1",
            "OUTREACH_SMOKE_PIN": PIN,  # signed in: the pages load, the Dashboard draws charts
        }
        done = self.run(["--data-dir", str(folder)], env=env, wrap=wrap, data_dir=folder)
        said = [line for line in done.stderr.splitlines() if line.startswith("smoke:")]
        print("   " + "\n   ".join(said))
        if not any(line.startswith("smoke: window shown") for line in said):
            self.show_output(done, folder)
            raise Failed("the app exited 0 without saying its window was shown")

    def window_xcb(self) -> str | None:
        if not shutil.which("xvfb-run"):
            return "xvfb-run is not installed"
        self.window("xcb", wrap=["xvfb-run", "-a", "-s", "-screen 0 1366x768x24"])
        return None

    def install_linux(self) -> str | None:
        if not sys.platform.startswith("linux"):
            return "not Linux"
        prefix = self.work / "prefix"
        subprocess.run(
            ["sh", str(self.app_dir / "install-linux.sh"), str(self.app_dir)],
            env={**self.env, "PREFIX": str(prefix)},
            check=True,
            timeout=STEP_TIMEOUT,
        )
        entry = prefix / "share/applications/outreach-tally.desktop"
        wanted = [
            entry,
            prefix / "share/icons/hicolor/256x256/apps/outreach-tally.png",
            prefix / "share/icons/hicolor/scalable/apps/outreach-tally.svg",
            prefix / "bin/outreach",
        ]
        missing = [str(path) for path in wanted if not path.exists()]
        if missing:
            raise Failed("install-linux.sh left out " + ", ".join(missing))
        exec_line = next(
            line for line in entry.read_text().splitlines() if line.startswith("Exec=")
        )
        installed = Path(exec_line.removeprefix("Exec=").strip('"'))
        if not os.access(installed, os.X_OK):
            raise Failed(f"the desktop entry's {exec_line} is not an executable")
        self.run_installed(prefix / "bin/outreach")
        if shutil.which("desktop-file-validate"):
            subprocess.run(["desktop-file-validate", str(entry)], check=True)
            print("   desktop-file-validate: no complaints")
        return None

    def run_installed(self, link: Path) -> None:
        done = subprocess.run(
            [str(link), "--version"], env=self.env, capture_output=True, text=True, timeout=60
        )
        if done.returncode != 0:
            raise Failed(f"the installed {link} --version: exit {done.returncode}\n{done.stderr}")


def main(argv: list[str]) -> int:
    app_dir = Path(argv[1] if len(argv) > 1 else "dist/outreach").resolve()
    with tempfile.TemporaryDirectory(prefix="outreach-smoke-") as tmp:
        smoke = Smoke(app_dir, Path(tmp))
        steps = [
            ("version and help", smoke.version_and_help),
            ("headless: encrypted folder, import, monthly PDF", smoke.headless_encrypted),
            ("PostgreSQL unreachable: exit 3", smoke.postgres_unreachable),
            ("offscreen: the window opens", lambda: smoke.window("offscreen")),
            ("xcb under Xvfb: the window opens", smoke.window_xcb),
            ("Linux install: desktop entry and icon", smoke.install_linux),
        ]
        for title, step in steps:
            print(f"-- {title}", flush=True)
            try:
                skipped = step()
            except (Failed, subprocess.SubprocessError, OSError) as error:
                print(f"FAILED: {title}: {error}", file=sys.stderr)
                return 1
            print(f"   skipped: {skipped}" if skipped else "   ok", flush=True)
    print(f"smoke test passed: {app_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
