'use strict';
// Turns the router's [outcome, resource] into an HTTP answer: status, ETag / Last-Modified /
// Location headers, Prefer handling, fullUrl on bundle entries and self/next links on search
// bundles (MemoryRepository returns total but no links).

const core = require('@medplum/core');

function finishResponse({ method, path, query, base, outcome, resource, prefer }) {
  const status = core.getStatus(outcome);
  const headers = {};
  let body = resource ?? outcome;

  if (resource?.resourceType === 'Bundle' && !resource.meta?.versionId) {
    addFullUrls(resource, base);
    if (resource.type === 'searchset') {
      addSearchLinks(resource, base, path, query);
    }
  }
  if (resource?.id && resource.meta?.versionId) {
    headers.ETag = `W/"${resource.meta.versionId}"`;
    if (resource.meta.lastUpdated) {
      headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    }
    if (status === 201) {
      headers.Location = `${base}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    }
  }

  const isWrite = ['POST', 'PUT', 'PATCH'].includes(method) && path !== '' && !path.endsWith('/_search');
  const preferReturn = /return=([A-Za-z]+)/.exec(prefer || '')?.[1];
  if (isWrite && core.isOk(outcome) && preferReturn === 'minimal') {
    body = undefined;
  } else if (isWrite && core.isOk(outcome) && preferReturn === 'OperationOutcome') {
    body = outcome;
  }
  return { status, headers, body };
}

function addFullUrls(bundle, base) {
  for (const entry of bundle.entry ?? []) {
    const r = entry?.resource;
    if (r?.resourceType && r.id && !entry.fullUrl) {
      entry.fullUrl = `${base}/${r.resourceType}/${r.id}`;
    }
    if (bundle.type === 'searchset' && r) {
      entry.search ??= { mode: 'match' };
    }
  }
}

function addSearchLinks(bundle, base, path, query) {
  const searchPath = path.replace(/\/_search$/, '');
  const link = (params) => {
    const qs = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        qs.append(key, v);
      }
    }
    const text = qs.toString();
    return `${base}/${searchPath}${text ? `?${text}` : ''}`;
  };
  bundle.link = [{ relation: 'self', url: link(query) }];
  const count = parseInt(single(query._count), 10);
  const offset = parseInt(single(query._offset), 10) || 0;
  if (Number.isFinite(count) && count > 0 && typeof bundle.total === 'number' && bundle.total > offset + count) {
    bundle.link.push({ relation: 'next', url: link({ ...query, _offset: String(offset + count) }) });
  }
}

function single(value) {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function capabilityStatement() {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'llavarad-fhir-peer (Medplum fhir-router 4.5.2, in-memory)' },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }] }],
  };
}

module.exports = { finishResponse, capabilityStatement };
