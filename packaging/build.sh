#!/usr/bin/env bash
# Build the Linux one-folder bundle: dist/ictappraise/ictappraise
# Usage: packaging/build.sh   (installs the locked versions of requirements/build.txt first, so the
# bundle holds exactly what the suite passed with; see README, Development)
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q --require-hashes -r requirements/build.txt
python -m pip install -q --no-deps -e .
python -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/ictappraise.spec
du -sh dist/ictappraise
echo "Bundle: dist/ictappraise/ictappraise"
