'use strict';
// Medplum 4.5 refuses a transaction of more than 8 entries once any entry is a conditional create ("requires strict
// isolation"). That limit is Medplum's, not FHIR's, and this server already runs one request at a time, so for larger
// transactions it resolves the conditional creates itself before the router sees the bundle:
// - no match: a plain create (the If-None-Exist goes);
// - one match: a read of the match, and the entry's urn:uuid is rewritten to it everywhere in the bundle
//   (the response entry is 200 with the match's location, as a matched conditional create answers);
// - several matches: 412, as FHIR specifies.
// Smaller transactions keep Medplum's own path.
const core = require('@medplum/core');

const MEDPLUM_STRICT_ENTRY_LIMIT = 8;

class PreconditionFailed extends Error {
  constructor(outcome) {
    super(outcome.issue?.[0]?.details?.text ?? 'precondition failed');
    this.status = 412;
    this.outcome = outcome;
  }
}

async function resolveConditionalCreates(repo, bundle) {
  const entries = bundle?.entry ?? [];
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction' || entries.length <= MEDPLUM_STRICT_ENTRY_LIMIT) {
    return bundle;
  }
  const resolved = new Map(); // urn:uuid:... -> Type/id
  for (const [index, entry] of entries.entries()) {
    const request = entry.request;
    if (request?.method !== 'POST' || !request.ifNoneExist) {
      continue;
    }
    const matches = await repo.searchResources(core.parseSearchRequest(`${request.url}?${request.ifNoneExist}`));
    if (matches.length > 1) {
      throw new PreconditionFailed(core.badRequest(`Conditional create matched ${matches.length} resources`, `Bundle.entry[${index}].request.ifNoneExist`));
    }
    if (matches.length === 0) {
      delete request.ifNoneExist;
      continue;
    }
    const reference = core.getReferenceString(matches[0]);
    if (entry.fullUrl) {
      resolved.set(entry.fullUrl, reference);
    }
    entry.request = { method: 'GET', url: reference };
    delete entry.resource;
  }
  if (resolved.size === 0) {
    return bundle;
  }
  const text = JSON.stringify(bundle, (key, value) =>
    typeof value === 'string' && resolved.has(value) && key !== 'fullUrl' ? resolved.get(value) : value);
  return JSON.parse(text);
}

module.exports = { resolveConditionalCreates, PreconditionFailed };
