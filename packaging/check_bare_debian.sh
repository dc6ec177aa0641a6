#!/usr/bin/env bash
# By hand, as root, on Debian (not run by CI: it downloads a Debian 12 base system, ~90 MB):
# does README's apt-get line alone let the app start on a bare Debian 12?
#
#   bash packaging/check_bare_debian.sh [CHROOT_DIR]     (after `make .venv/.installed` and
#                                                         `make package`; needs debootstrap, Xvfb)
#
# 1. debootstrap --variant=minbase bookworm (the same 88 packages as the debian:12 image);
# 2. apt-get install --no-install-recommends exactly README's line (read from README.md);
# 3. `ldd` in the chroot on the xcb plugin, its XCB library and the app's compiled modules
#    (this checkout's .venv copied in; its Python is Debian 12's 3.11 too): no "not found";
# 4. tests/test_system_packages.py in the chroot (the dpkg checks then see a minimal system);
# 5. the app from source, then the built one, on Qt's xcb platform against an Xvfb on this
#    machine (over TCP: the chroot has no X server of its own), with
#    OUTREACH_SMOKE_EXIT_AFTER_SHOWN=1: the window opens with its data, every page shows.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/tmp/outreach-bare-debian}
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
packages=$(python3 - <<'EOF'
text = open("README.md", encoding="utf-8").read().replace("\\\n", " ")
line = next(l for l in text.splitlines() if "apt-get install" in l and "libxcb" in l)
print(" ".join(w for w in line.split("apt-get install", 1)[1].split() if not w.startswith("-")))
EOF
)
in_root() { chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root XDG_RUNTIME_DIR=/tmp LANG=C.UTF-8 "$@"; }

[ -x "$root/usr/bin/apt-get" ] || debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root apt-get update -qq
# shellcheck disable=SC2086 # one word per package
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "installed README's line: $packages"

rm -rf "$root/opt/site" "$root/opt/src" "$root/opt/frozen"
mkdir -p "$root/opt/site" "$root/opt/src/tests" "$root/opt/src/.ci"
cp -a "$site/." "$root/opt/site/"
cp -a outreach_app resources README.md "$root/opt/src/"
cp .ci/run "$root/opt/src/.ci/run"
cp tests/test_system_packages.py "$root/opt/src/tests/"
[ -d dist/outreach ] && cp -a dist/outreach "$root/opt/frozen"

missing=$(in_root sh -c 'for f in /opt/site/PySide6/Qt/plugins/platforms/libqxcb.so \
  /opt/site/PySide6/Qt/lib/libQt6XcbQpa.so.6 /opt/site/PySide6/*.abi3.so \
  /opt/site/sqlcipher3/*.so /opt/site/psycopg_binary/*.so; do
  ldd "$f" | grep "not found" | sed "s|^|$f: |"; done' || true)
[ -z "$missing" ] || { echo "ldd: not found in the bare system:"; echo "$missing"; exit 1; }
echo "ldd: nothing not found"

in_root env PYTHONPATH=/opt/site python3 -m pytest -q -p no:cacheprovider \
  /opt/src/tests/test_system_packages.py

Xvfb :77 -listen tcp -ac -screen 0 1366x768x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb' EXIT
sleep 2
run_app() {
  in_root env DISPLAY=127.0.0.1:77 QT_QPA_PLATFORM=xcb OUTREACH_SMOKE_EXIT_AFTER_SHOWN=1 "$@"
}
in_root rm -rf /tmp/zz-plain
in_root env PYTHONPATH=/opt/site:/opt/src python3 -m outreach_app --data-dir /tmp/zz-plain \
  init --org "ZZ-TEST Org" --site "ZZ-TEST Site" --no-encryption --timezone UTC
run_app env PYTHONPATH=/opt/site:/opt/src timeout 120 python3 -m outreach_app --data-dir /tmp/zz-plain
echo "from source: the window opened on xcb"
if [ -d "$root/opt/frozen" ]; then
  run_app timeout 120 /opt/frozen/outreach --data-dir /tmp/zz-plain
  echo "built app: the window opened on xcb"
fi
