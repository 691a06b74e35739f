#!/usr/bin/env bash
# Quick check of running peers. Uses the PEER_* variables from the environment, or reads
# them with `peers.sh env [STATE_DIR]` when they are not set:
#   env_lines=$(deploy/peers/peers.sh start "$dir") && eval "$env_lines" && deploy/peers/smoke.sh
# Checks: STOW-RS of a generated DICOM file + QIDO-RS read-back (Orthanc), create + search by
# identifier (FHIR), `select 1` with the exported password (PostgreSQL), and that every
# listening socket of the recorded peer processes is on 127.0.0.1. Peers not started
# (see PEERS) are skipped. Prints "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${PEER_STATE_DIR:-}" ]; then
  env_lines=$("$SCRIPT_DIR/peers.sh" env "$@")
  eval "$env_lines"
fi

passed=0
failed=0
check() { # NAME COMMAND...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok    $name"
  else
    failed=$((failed + 1))
    echo "FAIL  $name"
  fi
}
contains() { grep -q -- "$2" <<<"$1"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uid() { echo "2.25.$(od -An -tu8 -N8 /dev/urandom | tr -d ' ')$(od -An -tu4 -N3 /dev/urandom | tr -d ' ')"; }

# ---------------------------------------------------------------- DICOMweb (Orthanc)
if [ -n "${PEER_DICOMWEB_URL:-}" ]; then
  study=$(uid) series=$(uid) sop=$(uid)
  cat >"$work/smoke.dump" <<EOF
(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
(0008,0018) UI [$sop]
(0008,0020) DA [20240115]
(0008,0050) SH [ACC-SMOKE]
(0008,0060) CS [OT]
(0010,0010) PN [Smoke^Test]
(0010,0020) LO [PAT-SMOKE]
(0020,000d) UI [$study]
(0020,000e) UI [$series]
(0020,0013) IS [1]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 2
(0028,0011) US 2
(0028,0100) US 8
(0028,0101) US 8
(0028,0102) US 7
(0028,0103) US 0
(7fe0,0010) OB 00\40\80\ff
EOF
  check "dump2dcm builds a DICOM file" dump2dcm -q +te "$work/smoke.dump" "$work/smoke.dcm"

  boundary="smoke-$RANDOM$RANDOM"
  {
    printf -- '--%s\r\nContent-Type: application/dicom\r\n\r\n' "$boundary"
    cat "$work/smoke.dcm"
    printf -- '\r\n--%s--\r\n' "$boundary"
  } >"$work/stow.body"
  stow=$(curl -s -w '\n%{http_code}' -X POST "$PEER_DICOMWEB_URL/studies" \
    -H "Content-Type: multipart/related; type=\"application/dicom\"; boundary=$boundary" \
    -H 'Accept: application/dicom+json' --data-binary "@$work/stow.body" || true)
  check "STOW-RS answers 200" contains "${stow##*$'\n'}" '^200$'
  check "STOW-RS references the stored SOP instance" contains "$stow" "$sop"

  qido=$(curl -sf "$PEER_DICOMWEB_URL/studies?StudyInstanceUID=$study" -H 'Accept: application/dicom+json' || true)
  check "QIDO-RS finds the study" contains "$qido" "\"$study\""
  check "QIDO-RS returns the accession number" contains "$qido" 'ACC-SMOKE'
  qido=$(curl -sf "$PEER_DICOMWEB_URL/studies/$study/instances" -H 'Accept: application/dicom+json' || true)
  check "QIDO-RS lists the instance" contains "$qido" "\"$sop\""
fi

# ---------------------------------------------------------------- FHIR
if [ -n "${PEER_FHIR_URL:-}" ]; then
  mrn="SMOKE-$RANDOM$RANDOM"
  created=$(curl -s -w '\n%{http_code}' -X POST "$PEER_FHIR_URL/Patient" -H 'Content-Type: application/fhir+json' \
    -d "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:llavarad:smoke\",\"value\":\"$mrn\"}]}" || true)
  check "FHIR create Patient answers 201" contains "${created##*$'\n'}" '^201$'
  id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"${created%$'\n'*}" | head -n1)
  found=$(curl -sf "$PEER_FHIR_URL/Patient?identifier=urn:llavarad:smoke%7C$mrn" || true)
  check "FHIR search by identifier finds it" contains "$found" '"total":1'
  check "FHIR search returns the same id" contains "$found" "\"id\":\"${id:-missing}\""
  check "FHIR metadata says 4.0.1" contains "$(curl -sf "$PEER_FHIR_URL/metadata" || true)" '"fhirVersion":"4.0.1"'
  check "SMART configuration names the token endpoint" contains \
    "$(curl -sf "$PEER_FHIR_URL/.well-known/smart-configuration" || true)" '"token_endpoint":"http://127.0.0.1:[0-9]*/auth/token"'
  check "FHIR refuses an unknown bearer token with 401" contains \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer not-issued' "$PEER_FHIR_URL/Patient" || true)" '^401$'
fi

# ---------------------------------------------------------------- PostgreSQL
if [ -n "${PEER_POSTGRES_CONNECTION:-}" ]; then
  conn_field() { tr ';' '\n' <<<"$PEER_POSTGRES_CONNECTION" | sed -n "s/^$1=//p"; }
  psql_bin=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n1)
  one=$(PGPASSWORD=$(conn_field Password) PGCONNECT_TIMEOUT=5 "$psql_bin" -X -Atq -h "$(conn_field Host)" \
    -p "$(conn_field Port)" -U "$(conn_field Username)" -d "$(conn_field Database)" -c 'select 1' 2>&1 || true)
  check "psql select 1 with the exported password" contains "$one" '^1$'
  bad=$(PGPASSWORD=wrong PGCONNECT_TIMEOUT=5 "$psql_bin" -X -Atq -h "$(conn_field Host)" -p "$(conn_field Port)" \
    -U "$(conn_field Username)" -d "$(conn_field Database)" -c 'select 1' 2>&1 || true)
  check "psql with a wrong password is refused" contains "$bad" 'password authentication failed'
fi

# ---------------------------------------------------------------- loopback only
if command -v ss >/dev/null; then
  listening=$(ss -Hltnp 2>/dev/null || true)
  for pidfile in "$PEER_STATE_DIR"/*.pid; do
    [ -f "$pidfile" ] || continue
    peer=$(basename "$pidfile" .pid)
    pid=$(cat "$pidfile")
    sockets=$(grep -E "pid=$pid," <<<"$listening" | awk '{print $4}' || true)
    check "$peer listens" test -n "$sockets"
    check "$peer listens on 127.0.0.1 only ($(echo $sockets))" test -z "$(grep -v '^127\.0\.0\.1:' <<<"$sockets" || true)"
  done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
