# syntax=docker/dockerfile:1.7
# The evaluation stack's PACS stand-in: Debian's Orthanc 1.10 + DICOMweb plugin, the versions the integration
# tests run against (deploy/peers). Unlike the loopback test peer it serves other containers, so remote access
# is on and basic authentication is required; the password comes from a secret (ORTHANC_PASSWORD file).
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends orthanc orthanc-dicomweb \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o orthanc -g orthanc -m 0750 /var/lib/orthanc/db
COPY deploy/compose/orthanc.json /etc/llavarad-orthanc/orthanc.json
COPY --chmod=0555 deploy/scripts/run-with-secrets.sh /usr/local/bin/run-with-secrets
COPY --chmod=0555 deploy/scripts/http-probe.sh /usr/local/bin/http-probe
VOLUME ["/var/lib/orthanc/db"]
USER orthanc
EXPOSE 8042
# Every URL needs credentials (a 401 is no health signal): the probe checks that the HTTP port accepts.
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=5 \
  CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8042"]
ENTRYPOINT ["/usr/local/bin/run-with-secrets", "Orthanc", "/etc/llavarad-orthanc/orthanc.json"]
