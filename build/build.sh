#!/usr/bin/env bash
# Build the one-folder app into dist/station-rotation/ and check it with its own self-test.
# District IT runs this from the repository root (Linux, macOS, or Git Bash on Windows):
#     bash build/build.sh            # build + self-test
#     bash build/build.sh --package  # also make the platform's package (tarball/.iss/.app)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  [ -d .venv ] || python3 -m venv .venv || py -3 -m venv .venv
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=.venv/Scripts/python.exe; fi
fi
"$PY" -m pip install -q -e ".[build]"

"$PY" -m PyInstaller --noconfirm --clean --log-level WARN installer.spec \
  --distpath dist --workpath build/pyinstaller-work

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*) exe=dist/station-rotation/station-rotation.exe ;;
  *) exe=dist/station-rotation/station-rotation ;;
esac
echo "build: $(du -sm dist/station-rotation | cut -f1) MB in dist/station-rotation"
# Only the libraries and Qt plugins we expect, whatever else this machine has installed.
"$PY" build/bundle_libraries.py dist/station-rotation
# No display (CI, SSH): the self-test draws its window offscreen.
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname -s)" = Linux ]; then
  export QT_QPA_PLATFORM=offscreen
fi
"$exe" self-test

if [ "${1:-}" = "--package" ]; then
  case "$(uname -s)" in
    Linux) bash build/linux/make_tarball.sh ;;
    Darwin) echo "build: the app bundle is dist/Station Rotation.app (see build/macos/README.md)" ;;
    *) iscc build/windows/station-rotation.iss ;;
  esac
fi
