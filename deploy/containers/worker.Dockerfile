# syntax=docker/dockerfile:1.7
# The LlavaRad worker: sources, job store, pipeline, FHIR write-back. Build from the repository root:
#
#   docker build -f deploy/containers/worker.Dockerfile -t llavarad-worker:dev .
#
# Self-contained publish on a plain Debian base: the image pins the exact .NET runtime the build was tested
# with, needs no .NET base image at run time, and the same publish output is what the two-VM (systemd)
# install unpacks under /opt/llavarad. Base images are build arguments so a site can point them at its own
# mirror; the SDK default is the one image that has no registry-neutral name.
# The .NET 10 SDK image, named as your registry or mirror serves it (e.g. --build-arg SDK_IMAGE=<registry>/dotnet/sdk:10.0).
ARG SDK_IMAGE=dotnet/sdk:10.0
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# Build inputs only (the .dockerignore beside this file keeps tests, samples, bin/ and obj/ out).
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/LlavaRad.Worker/LlavaRad.Worker.csproj -c Release -r linux-x64 --self-contained \
      -p:DebugType=none -o /out

FROM ${RUNTIME_IMAGE}
# A self-contained .NET app needs libc, libstdc++, OpenSSL and CA certificates (invariant globalization: no ICU).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libssl3 tzdata \
    libopenjp2-7 libcharls2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 llavarad \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin llavarad \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/llavarad
# Root-owned program files: the service user can run them, not change them.
COPY --from=build /out /app
COPY --chmod=0555 deploy/scripts/run-with-secrets.sh /usr/local/bin/run-with-secrets
COPY --chmod=0555 deploy/scripts/http-probe.sh /usr/local/bin/http-probe

# One setting per ENV line: deploy tests read these lines and start the published build with exactly them.
# Two listeners, bound on purpose (docs/operations.md, "Worker listeners"): notifications (and the review app) on
# 8080, /metrics and /health on 8081. Every interface of the container, because the engine's network
# and published ports decide who reaches them (compose publishes both to the host's loopback only); TLS for
# notifications is Worker__Listeners__Notifications__CertificatePath/KeyPath, the files as secrets.
ENV Worker__Listeners__Notifications__Address=0.0.0.0
ENV Worker__Listeners__Notifications__Port=8080
ENV Worker__Listeners__Operations__Address=0.0.0.0
ENV Worker__Listeners__Operations__Port=8081
ENV JobStore__Provider=sqlite
ENV JobStore__SqlitePath=/var/lib/llavarad/jobs.db
# Everything the worker writes goes to the state volume: the working directory (/app) is read-only.
ENV Pipeline__DraftFolder=/var/lib/llavarad/drafts
ENV Audit__FilePath=/var/lib/llavarad/audit/audit-events.jsonl
# While this file exists no new job is claimed (docs/operations.md, "Pause").
ENV Pipeline__KillSwitchFile=/var/lib/llavarad/PAUSED
# The only writable places with a read-only root file system: the state volume and a tmpfs on /tmp.
ENV TMPDIR=/tmp

# SQLite job store (single-worker installs), shadow-mode drafts, the audit file, the pause switch.
VOLUME ["/var/lib/llavarad"]
# The content root is the working directory: /app, where appsettings.json is.
WORKDIR /app
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/http-probe", "8081", "/health/ready"]
# Secrets arrive as files (compose secrets, Kubernetes secret volumes) and become configuration keys.
ENTRYPOINT ["/usr/local/bin/run-with-secrets", "/app/LlavaRad.Worker"]
