#!/bin/bash
# A health probe for images that carry no curl: GET http://127.0.0.1:PORT/PATH over bash's /dev/tcp and
# succeed on an HTTP 200 only. Used by the containers' HEALTHCHECK and the systemd install's checks.
#
#   http-probe PORT PATH [TIMEOUT_SECONDS]
set -euo pipefail
port=${1:?usage: http-probe PORT PATH [TIMEOUT_SECONDS]}
path=${2:?usage: http-probe PORT PATH [TIMEOUT_SECONDS]}
seconds=${3:-3}

# Loopback only: a refused connection fails at once, so only the answer needs a time limit.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
IFS= read -r -t "$seconds" status <&3 || { echo "http-probe: no answer from :$port$path within ${seconds}s" >&2; exit 1; }
exec 3<&-
# "HTTP/1.1 200 OK": Degraded still answers 200 (the service runs, a dependency waits); Unhealthy answers 503.
if [[ $status =~ ^HTTP/1\.[01]\ 200 ]]; then exit 0; fi
echo "http-probe: :$port$path answered ${status%$'\r'}" >&2
exit 1
