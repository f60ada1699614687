#!/usr/bin/env bash
# Build the Linux one-folder bundle: dist/ictappraise/ictappraise
# Usage: packaging/build.sh            (needs: pip install pyinstaller, and the project installed)
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip show pyinstaller >/dev/null 2>&1 || python -m pip install "pyinstaller>=6.5"
python -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/ictappraise.spec
du -sh dist/ictappraise
echo "Bundle: dist/ictappraise/ictappraise"
