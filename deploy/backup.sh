#!/bin/sh
# Back up the clinic's database: deploy/backup.sh FILE
# A compressed pg_dump in the custom format (pg_restore can pick and reorder). The connection comes from
# libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass) and PGDATABASE (default: clinic),
# as a role that may read every table. Encrypt the file before it leaves the server (SECURITY.md).
set -eu
out="${1:?usage: deploy/backup.sh FILE}"
pg_dump --format=custom --no-owner --file="$out" "${PGDATABASE:-clinic}"
