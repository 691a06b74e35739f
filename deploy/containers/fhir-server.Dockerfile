# syntax=docker/dockerfile:1.7
# The evaluation stack's EHR stand-in: the project's in-memory FHIR R4 server (deploy/peers/fhir-server, Medplum
# 4.5 on Node 20), the same one the integration tests run. Not for production: it keeps nothing on disk.
# Also runs the one-shot sample-study loader (deploy/compose/load-sample-studies.mjs), which needs only Node.
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}
WORKDIR /srv/fhir-server
COPY deploy/peers/fhir-server/package.json deploy/peers/fhir-server/package-lock.json ./
# definitions.js builds the trimmed FHIR definitions cache at build time, so the read-only container starts fast.
COPY deploy/peers/fhir-server/*.js ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && node definitions.js
COPY deploy/compose/load-sample-studies.mjs /srv/loader/load-sample-studies.mjs
ENV FHIR_HOST=0.0.0.0
ENV FHIR_PORT=8103
USER node
EXPOSE 8103
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8103/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
