#!/bin/sh
# Restore a backup into a NEW database, never over the live one: deploy/restore.sh FILE NEW_DATABASE
# Then verify it (SECURITY.md, section 4) before pointing DATABASE_URL at it.
set -eu
dump="${1:?usage: deploy/restore.sh FILE NEW_DATABASE}"
target="${2:?usage: deploy/restore.sh FILE NEW_DATABASE}"
createdb "$target"
pg_restore --no-owner --exit-on-error --dbname="$target" "$dump"
