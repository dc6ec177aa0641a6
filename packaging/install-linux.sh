#!/bin/sh
# Installs the built app for the current user (no root): run it from the built folder
# (dist/outreach/, where `make package` copies it) or give that folder as $1.
#   ~/.local/lib/outreach-tally/          the folder (replaced if there)
#   ~/.local/bin/outreach                 a link to its executable
#   ~/.local/share/applications/outreach-tally.desktop, with Exec= the installed executable
#   ~/.local/share/icons/hicolor/{256x256,scalable}/apps/outreach-tally.{png,svg}
# PREFIX=/some/where changes ~/.local. The data folder (~/.local/share/OutreachTally) is
# never touched, here or by removing these files.
set -eu
src=$(cd "${1:-$(dirname "$0")}" && pwd)
prefix=${PREFIX:-$HOME/.local}
[ -x "$src/outreach" ] || { echo "no built app in $src (run make package)" >&2; exit 1; }
dest=$prefix/lib/outreach-tally
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share/applications" \
  "$prefix/share/icons/hicolor/256x256/apps" "$prefix/share/icons/hicolor/scalable/apps"
if [ "$src" != "$dest" ]; then
  rm -rf "$dest"
  cp -a "$src" "$dest"
fi
ln -sf "$dest/outreach" "$prefix/bin/outreach"
sed "s|^Exec=.*|Exec=\"$dest/outreach\"|" "$src/outreach-tally.desktop" \
  > "$prefix/share/applications/outreach-tally.desktop"
cp "$src/outreach-tally.png" "$prefix/share/icons/hicolor/256x256/apps/outreach-tally.png"
cp "$src/outreach-tally.svg" "$prefix/share/icons/hicolor/scalable/apps/outreach-tally.svg"
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database "$prefix/share/applications" 2>/dev/null || true
echo "Installed in $dest; 'Outreach Tally' is in the applications menu, 'outreach' in $prefix/bin."
