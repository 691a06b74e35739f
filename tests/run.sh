#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the peers if missing, starts them on loopback,
# runs every test project, prints one summary line and stops the peers by PID.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash deploy/peers/peers.sh install
# Independent tools the tests compare against: readelf, numpy/pydicom for the sample-study generator; and the
# deployment checks: yamllint, shellcheck, PyYAML, systemd-analyze (deploy-lint.sh adds kubectl if missing).
# dicom3tools (dciodvfy) and python3-hl7 check the SR and the HL7 v2 messages (python3-hl7 also runs the MLLP listener).
# chromium runs the review app's browser tests (Playwright drives it; it downloads no browser).
# libopenjp2-7 and libcharls2 are the JPEG 2000 and JPEG-LS codecs the reader loads; dcmtk, libgdcm-tools,
# python3-gdcm and openjph-tools (HTJ2K) make and decode the codec goldens (tests/LlavaRad.Imaging.Tests/golden/codecs).
missing=()
for p in binutils python3-numpy python3-pydicom yamllint shellcheck python3-yaml systemd dicom3tools python3-hl7 \
  libopenjp2-7 libcharls2 dcmtk libgdcm-tools python3-gdcm openjph-tools chromium; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results=$(mktemp -d)
state=$(mktemp -d)
trap 'bash deploy/peers/peers.sh stop "$state" || true; rm -rf "$state"' EXIT
env_lines=$(bash deploy/peers/peers.sh start "$state")
eval "$env_lines"

dotnet restore LlavaRad.Integration.sln
# Build everything before any test runs: some tests start the built programs (llavarad, the node, the worker).
dotnet build LlavaRad.Integration.sln --no-restore
status=0
# The hang timeout is per test and must exceed the longest test's own bound: CI's 200-study two-worker crash-safety
# run allows itself 120 s + 5 s per study (about 19 min) on a loaded machine, and fails with its own message first.
dotnet test LlavaRad.Integration.sln --no-build --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 25m "$@" || status=$?

# One line for the whole run, summed over every test project's TRX file.
sum() { grep -ho "<Counters [^>]*" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}'; }
passed=$(sum passed); failed=$(sum failed); total=$(sum total); executed=$(sum executed)
passed=${passed:-0}; failed=${failed:-0}; total=${total:-0}; executed=${executed:-0}
skipped=$((total - executed))
echo "Tests: $passed passed, $failed failed, $skipped skipped"
rm -rf "$results"
if [ "$executed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$status"
