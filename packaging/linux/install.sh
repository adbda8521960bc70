#!/bin/sh
# Install (or update) the frozen ShelterDesk from its archive, as root, in the
# folder of the USB stick (`make package` puts this script, the desktop entry,
# the archive and SHA256SUMS side by side in dist/):
#   sudo sh install.sh shelterdesk-VERSION-linux-x86_64.tar.gz
# The program goes to /opt/shelterdesk (replaced whole on an update), the menu
# entry and icon to /usr/local/share. The database and its key file live in
# each user's data folder (~/.local/share/ShelterDesk/), never here, so an
# update never touches them. DESTDIR=/some/folder installs below that folder
# instead of / (a trial run; nothing outside it is touched).
set -eu
archive=${1:?usage: sudo sh install.sh shelterdesk-VERSION-linux-x86_64.tar.gz}
here=$(cd "$(dirname "$0")" && pwd)
root=${DESTDIR:-}
sums="$(dirname "$archive")/SHA256SUMS"
if [ ! -f "$sums" ]; then
  echo "install.sh: no SHA256SUMS beside $archive: copy it from the stick and compare it" \
       "with the printed checksums first" >&2
  exit 1
fi
(cd "$(dirname "$archive")" && grep " $(basename "$archive")\$" SHA256SUMS | sha256sum -c -)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$archive" -C "$tmp"
"$tmp/shelterdesk/shelterdesk" --self-test
mkdir -p "$root/opt" "$root/usr/local/bin"
rm -rf "$root/opt/shelterdesk.old"
if [ -d "$root/opt/shelterdesk" ]; then mv "$root/opt/shelterdesk" "$root/opt/shelterdesk.old"; fi
mv "$tmp/shelterdesk" "$root/opt/shelterdesk"
ln -sf /opt/shelterdesk/shelterdesk "$root/usr/local/bin/shelterdesk"
install -Dm644 "$here/shelterdesk.desktop" "$root/usr/local/share/applications/shelterdesk.desktop"
install -Dm644 "$root/opt/shelterdesk/_internal/shelterdesk/resources/icons/shelterdesk.svg" \
  "$root/usr/local/share/icons/hicolor/scalable/apps/shelterdesk.svg"
rm -rf "$root/opt/shelterdesk.old"
echo "ShelterDesk installed in $root/opt/shelterdesk"
