#!/bin/sh
# Install (or update) the frozen ShelterDesk from its archive, as root:
#   sudo sh install.sh shelterdesk-VERSION-linux-x86_64.tar.gz
# The program goes to /opt/shelterdesk (replaced whole on an update), the menu
# entry and icon to /usr/local/share. The database and its key file live in
# each user's data folder (~/.local/share/ShelterDesk/), never here, so an
# update never touches them.
set -eu
archive=${1:?usage: install.sh shelterdesk-VERSION-linux-x86_64.tar.gz}
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$(dirname "$archive")/SHA256SUMS" ]; then
  (cd "$(dirname "$archive")" && grep " $(basename "$archive")\$" SHA256SUMS | sha256sum -c -)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$archive" -C "$tmp"
"$tmp/shelterdesk/shelterdesk" --self-test
rm -rf /opt/shelterdesk.old
[ -d /opt/shelterdesk ] && mv /opt/shelterdesk /opt/shelterdesk.old
mv "$tmp/shelterdesk" /opt/shelterdesk
ln -sf /opt/shelterdesk/shelterdesk /usr/local/bin/shelterdesk
install -Dm644 "$here/shelterdesk.desktop" /usr/local/share/applications/shelterdesk.desktop
install -Dm644 /opt/shelterdesk/_internal/shelterdesk/resources/icons/shelterdesk.svg \
  /usr/local/share/icons/hicolor/scalable/apps/shelterdesk.svg
rm -rf /opt/shelterdesk.old
echo "ShelterDesk installed in /opt/shelterdesk"
