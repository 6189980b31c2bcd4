#!/usr/bin/env bash
# Every benchmark, one after the other (about 60 minutes on 2 cores). Results in bench/results/.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
REBUILD=1 "$here/generate.sh"
"$here/ingest.sh"
"$here/query.sh"
"$here/retrieve.sh"
"$here/import.sh"
"$here/mixed.sh"
"$here/parse.sh"
