'use strict';
// R4 rest-hook Subscription emulation (Medplum's FhirRouter stores Subscriptions but never
// notifies). For each written resource, every Subscription with status requested|active,
// channel.type rest-hook and matching criteria gets a POST to channel.endpoint, with the
// channel.header lines as headers and the resource as body when channel.payload is set
// (empty body otherwise). No handshake, heartbeat, retries or status changes.
// Failures are logged to stderr and otherwise ignored.

const core = require('@medplum/core');

const NOTIFY_TIMEOUT_MS = 5000;

async function notifySubscribers(repo, resources) {
  if (resources.length === 0) {
    return;
  }
  const subscriptions = await repo.searchResources(
    core.parseSearchRequest('Subscription', { status: 'requested,active' })
  );
  const hooks = subscriptions.filter((s) => s.channel?.type === 'rest-hook' && s.channel.endpoint && s.criteria);
  for (const resource of resources) {
    for (const subscription of hooks) {
      if (matches(subscription, resource)) {
        send(subscription, resource).catch((err) => {
          console.error(`subscription ${subscription.id}: POST ${subscription.channel.endpoint} failed: ${err.message}`);
        });
      }
    }
  }
}

function matches(subscription, resource) {
  try {
    const search = core.parseSearchRequest(subscription.criteria);
    return search.resourceType === resource.resourceType && core.matchesSearchRequest(resource, search);
  } catch (err) {
    console.error(`subscription ${subscription.id}: bad criteria ${JSON.stringify(subscription.criteria)}: ${err.message}`);
    return false;
  }
}

async function send(subscription, resource) {
  const channel = subscription.channel;
  const headers = {};
  for (const line of channel.header ?? []) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  let body;
  if (channel.payload) {
    headers['Content-Type'] = channel.payload;
    body = JSON.stringify(resource);
  }
  const response = await fetch(channel.endpoint, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
}

module.exports = { notifySubscribers };
