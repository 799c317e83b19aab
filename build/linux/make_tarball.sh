#!/usr/bin/env bash
# Pack dist/station-rotation/ into dist/station-rotation-VERSION-linux-ARCH.tar.gz with the
# desktop entry, the icon and an install script that puts them in /opt and the menus.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x dist/station-rotation/station-rotation ] || { echo "build first: bash build/build.sh" >&2; exit 1; }

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' station_rotation/__init__.py)
name="station-rotation-${version}-linux-$(uname -m)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name"
cp -a dist/station-rotation "$stage/$name/station-rotation"
cp build/linux/station-rotation.desktop "$stage/$name/"
cp resources/icons/station-rotation.png resources/icons/station-rotation.svg "$stage/$name/"
cat > "$stage/$name/install.sh" <<'SH'
#!/bin/sh
# Install for every user of this computer (run with sudo): the app in /opt, a menu entry.
set -e
here=$(cd "$(dirname "$0")" && pwd)
rm -rf /opt/station-rotation
cp -a "$here/station-rotation" /opt/station-rotation
install -Dm644 "$here/station-rotation.desktop" /usr/share/applications/station-rotation.desktop
install -Dm644 "$here/station-rotation.png" /usr/share/icons/hicolor/256x256/apps/station-rotation.png
install -Dm644 "$here/station-rotation.svg" /usr/share/icons/hicolor/scalable/apps/station-rotation.svg
ln -sf /opt/station-rotation/station-rotation /usr/local/bin/station-rotation
echo "Installed. Check it with: station-rotation self-test"
SH
chmod +x "$stage/$name/install.sh"
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "package: dist/$name.tar.gz ($(du -m "dist/$name.tar.gz" | cut -f1) MB)"
