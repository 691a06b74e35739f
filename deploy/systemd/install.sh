#!/usr/bin/env bash
# Installs one LlavaRad service for the two-VM systemd layout (run as root on that VM):
#
#   deploy/systemd/install.sh worker PUBLISH_DIR      # dotnet publish src/LlavaRad.Worker -c Release -r linux-x64 --self-contained
#   deploy/systemd/install.sh node PUBLISH_DIR        # the same for src/LlavaRad.Inference, with -p:TorchBackend=cuda
#
# Lays out /opt/llavarad/<service>/ (the publish output, root-owned, replaced whole), /opt/llavarad/bin/
# (run-with-secrets, http-probe), /etc/llavarad/<service>.env (from the example, only if absent: a site's
# settings are never overwritten) and /etc/llavarad/tls/ (mode 0700, filled by the site), installs the unit,
# and reloads systemd. DESTDIR=/some/root installs under that root instead and touches no running system
# (packaging, and the deploy tests, which start the services from exactly this layout).
#
# The worker decodes JPEG 2000 / HTJ2K and JPEG-LS pixels with Debian's codec libraries, found at run time:
#   apt-get install -y --no-install-recommends libopenjp2-7 libcharls2
# Without them those studies end in codec-unavailable (or the server fallbacks DicomWeb:TranscodeFallback and
# DicomWeb:RenderedFallback allow).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
service=${1:?usage: install.sh worker|node PUBLISH_DIR}
publish=${2:?usage: install.sh worker|node PUBLISH_DIR}
case $service in
  worker) program=LlavaRad.Worker ;;
  node) program=LlavaRad.Inference ;;
  *) echo "install.sh: unknown service '$service' (worker or node)" >&2; exit 2 ;;
esac
[ -x "$publish/$program" ] || { echo "install.sh: $publish/$program missing: publish self-contained for linux-x64 first" >&2; exit 1; }
root=${DESTDIR:-}

install -d -m 0755 "$root/opt/llavarad/bin" "$root/etc/systemd/system" "$root/etc/llavarad"
install -d -m 0700 "$root/etc/llavarad/tls"
install -m 0755 "$here/../scripts/run-with-secrets.sh" "$root/opt/llavarad/bin/run-with-secrets"
install -m 0755 "$here/../scripts/http-probe.sh" "$root/opt/llavarad/bin/http-probe"
# Beside the old version, then one rename: a failed copy never leaves half a program behind.
rm -rf "$root/opt/llavarad/$service.new"
cp -R "$publish" "$root/opt/llavarad/$service.new"
rm -rf "$root/opt/llavarad/$service.old"
[ ! -d "$root/opt/llavarad/$service" ] || mv "$root/opt/llavarad/$service" "$root/opt/llavarad/$service.old"
mv "$root/opt/llavarad/$service.new" "$root/opt/llavarad/$service"
[ -f "$root/etc/llavarad/$service.env" ] || install -m 0644 "$here/$service.env.example" "$root/etc/llavarad/$service.env"
install -m 0644 "$here/llavarad-$service.service" "$root/etc/systemd/system/llavarad-$service.service"
if [ -z "$root" ]; then
  systemctl daemon-reload
  echo "installed; put the TLS files in /etc/llavarad/tls, edit /etc/llavarad/$service.env, then: systemctl enable --now llavarad-$service"
fi
