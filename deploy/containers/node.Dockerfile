# syntax=docker/dockerfile:1.7
# The LlavaRad GPU inference node. Build from the repository root:
#
#   docker build -f deploy/containers/node.Dockerfile -t llavarad-node:dev .
#   docker build -f deploy/containers/node.Dockerfile --build-arg TORCH_BACKEND=cpu -t llavarad-node:cpu .
#
# TORCH_BACKEND is the repository's build switch (Directory.Build.props, TorchBackend: cpu|cuda): cuda pulls
# TorchSharp-cuda-linux, whose libtorch carries the CUDA libraries; the host supplies only the NVIDIA driver
# (NVIDIA container toolkit / device plugin). Self-contained publish for the same reasons as the worker.
# The model is never copied in: weights are licensed, large and versioned apart from the code; mount them at
# /models (read-only).
# The .NET 10 SDK image, named as your registry or mirror serves it (e.g. --build-arg SDK_IMAGE=<registry>/dotnet/sdk:10.0).
ARG SDK_IMAGE=dotnet/sdk:10.0
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SDK_IMAGE} AS build
ARG TORCH_BACKEND=cuda
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY protos/ protos/
COPY src/ src/
# The publish also marks libLibTorchSharp.so's GLIBCXX_3.4.32 need weak (Directory.Build.targets), which is
# what lets it load on Debian 12's libstdc++.
RUN dotnet publish src/LlavaRad.Inference/LlavaRad.Inference.csproj -c Release -r linux-x64 --self-contained \
      -p:TorchBackend=${TORCH_BACKEND} -p:DebugType=none -o /out

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libssl3 tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 llavarad \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin llavarad \
 && install -d -o root -g root -m 0755 /models
COPY --from=build /out /app
COPY --chmod=0555 deploy/scripts/run-with-secrets.sh /usr/local/bin/run-with-secrets
COPY --chmod=0555 deploy/scripts/http-probe.sh /usr/local/bin/http-probe

# One setting per ENV line: deploy tests read these lines and start the published build with exactly them.
# gRPC (HTTP/2) for the worker; a separate HTTP/1.1 port for /metrics and /health/* (probes, Prometheus).
# "Urls", not ASPNETCORE_URLS: appsettings.json (which sets Urls to loopback) outranks ASPNETCORE_-prefixed
# variables but not plain ones.
ENV Urls=http://+:50051
ENV Inference__ObservabilityUrl=http://+:9090
ENV Inference__ModelDirectory=/models
ENV Inference__Device=auto
ENV TMPDIR=/tmp

VOLUME ["/models"]
# The content root is the working directory: /app, where appsettings.json is.
WORKDIR /app
USER 10001:10001
EXPOSE 50051 9090
# Loading a 7B model takes minutes: a long start period, then readiness (model loaded, device answering).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10m --retries=3 \
  CMD ["/usr/local/bin/http-probe", "9090", "/health/ready"]
ENTRYPOINT ["/usr/local/bin/run-with-secrets", "/app/LlavaRad.Inference"]
