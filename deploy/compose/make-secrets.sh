#!/usr/bin/env bash
# Writes the compose stack's secrets as files under deploy/compose/secrets/ (git-ignored):
# random passwords for Orthanc and PostgreSQL and the worker's job-store connection string built from the latter.
# Existing files are kept, so re-running never changes a password the volumes already use.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets
mkdir -p "$dir"
# The folder is private to its owner; the files are world-readable because compose (outside swarm) bind-mounts
# them with the host's owner and mode, and the services run as their own non-root users.
chmod 700 "$dir"
umask 022
random() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
[ -s "$dir/ORTHANC_PASSWORD" ] || random >"$dir/ORTHANC_PASSWORD"
[ -s "$dir/POSTGRES_PASSWORD" ] || random >"$dir/POSTGRES_PASSWORD"
[ -s "$dir/ConnectionStrings__JobStore" ] ||
  printf 'Host=postgres;Port=5432;Username=llavarad;Database=llavarad;Password=%s' "$(cat "$dir/POSTGRES_PASSWORD")" \
    >"$dir/ConnectionStrings__JobStore"
echo "secrets in $dir"
