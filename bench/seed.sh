#!/usr/bin/env bash
# Seeds an index alone: bench/seed.sh jdbc:sqlite:/path/index.db 1000000  (resumes from what is there).
# Through the ingest path, one transaction per instance; for millions use seed.BulkSeeder (bench/scale.sh).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build
run seed.IndexSeeder --index "${1:?jdbc url}" --instances "${2:-100000}" "${@:3}"
