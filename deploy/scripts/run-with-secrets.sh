#!/bin/sh
# Starts a LlavaRad service with secrets read from files, so that no secret is ever baked into an image, a unit
# or a manifest.
#
#   run-with-secrets PROGRAM [ARGS...]
#
# Every regular file in the secrets directory whose name is a configuration key in environment form
# (letters, digits, underscores: ConnectionStrings__JobStore, Fhir__Auth__Smart__PrivateKeyPem) becomes that
# environment variable, trailing newlines removed; ASP.NET Core reads it as ConnectionStrings:JobStore, etc.
# Other files (tls.crt, node.key, ca.pem) are left alone: options take their paths.
#
# The directory: LLAVARAD_SECRETS_DIR, else systemd's CREDENTIALS_DIRECTORY (LoadCredential=), else
# /run/secrets (compose secrets, Kubernetes secret volumes). A missing directory is not an error: a site may
# configure everything through plain environment variables.
set -eu

dir=${LLAVARAD_SECRETS_DIR:-${CREDENTIALS_DIRECTORY:-/run/secrets}}
if [ -d "$dir" ]; then
  for file in "$dir"/*; do
    [ -f "$file" ] || continue
    name=${file##*/}
    case $name in
      '' | [0-9]* | *[!A-Za-z0-9_]*) continue ;; # not a configuration key: a file read by path
    esac
    value=$(cat "$file")
    export "$name=$value"
  done
fi
[ "$#" -gt 0 ] || { echo "usage: run-with-secrets PROGRAM [ARGS...]" >&2; exit 2; }
exec "$@"
