#!/usr/bin/env bash
# Set up (apt + .venv) and run the main job on the bundled demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/nianbao demo "$@"
