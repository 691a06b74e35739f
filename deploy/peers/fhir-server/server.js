'use strict';
// In-memory FHIR R4 test peer: Medplum's FhirRouter + MemoryRepository behind a plain
// node:http server. Listens on FHIR_HOST (default 127.0.0.1) : FHIR_PORT (default 0 = any
// free port) and prints its base URL (http://HOST:PORT/fhir/R4) as the first stdout line.
// Env: FHIR_VALIDATE=0 turns validation off; FHIR_ACCESS_LOG=0 silences the stderr access log.
// Extra routes: GET /healthz, GET /fhir/R4/metadata, POST /fhir/R4/$reset (empties the store),
// and a SMART Backend Services token endpoint (smart-auth.js: /auth/*, /fhir/R4/.well-known/smart-configuration).

const http = require('node:http');
const core = require('@medplum/core');
const { FhirRouter } = require('@medplum/fhir-router');
const { loadDefinitions } = require('./definitions');
const { TestRepository } = require('./repository');
const { notifySubscribers } = require('./subscriptions');
const { resolveConditionalCreates, PreconditionFailed } = require('./conditional-creates');
const { finishResponse, capabilityStatement } = require('./responses');
const smart = require('./smart-auth');

const HOST = process.env.FHIR_HOST || '127.0.0.1';
const PORT = Number(process.env.FHIR_PORT || 0);
const BASE_PATH = '/fhir/R4';
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const ACCESS_LOG = process.env.FHIR_ACCESS_LOG !== '0';

loadDefinitions();

const repo = new TestRepository({ validate: process.env.FHIR_VALIDATE !== '0' });
const router = new FhirRouter();
let queue = Promise.resolve(); // requests run one at a time: keeps transaction snapshots consistent

class HttpError extends Error {
  constructor(status, outcome) {
    super(outcome.issue?.[0]?.details?.text ?? 'error');
    this.status = status;
    this.outcome = outcome;
  }
}

const server = http.createServer(async (req, res) => {
  const started = Date.now();
  let status = 500;
  try {
    const body = await readBody(req);
    const result = await new Promise((resolve, reject) => {
      queue = queue.then(() => handle(req, body)).then(resolve, reject);
    });
    status = result.status;
    send(res, result);
  } catch (err) {
    const known = err instanceof HttpError || err instanceof PreconditionFailed;
    status = known ? err.status : 500;
    if (status === 500) {
      console.error(err);
    }
    send(res, { status, body: known ? err.outcome : core.serverError(err) });
  } finally {
    if (ACCESS_LOG) {
      console.error(`${req.method} ${req.url} ${status} ${Date.now() - started}ms`);
    }
  }
});

async function handle(req, rawBody) {
  const url = new URL(req.url, 'http://placeholder');
  if (url.pathname === '/healthz') {
    return { status: 200, body: { status: 'ok' }, contentType: 'application/json' };
  }
  const origin = `http://${req.headers.host || `${HOST}:${server.address().port}`}`;
  const base = `${origin}${BASE_PATH}`;
  if (url.pathname.startsWith('/auth/')) {
    return handleAuth(req, url, rawBody, origin);
  }
  if (url.pathname !== BASE_PATH && !url.pathname.startsWith(BASE_PATH + '/')) {
    return { status: 404, body: core.notFound };
  }
  const path = decodePath(url.pathname.slice(BASE_PATH.length)).replace(/^\/+|\/+$/g, '');
  const method = req.method;

  if (method === 'GET' && path === '.well-known/smart-configuration') {
    return { status: 200, body: smart.smartConfiguration(origin), contentType: 'application/json' };
  }
  if (smart.bearerIsValid(req.headers.authorization) === false) {
    return { status: 401, body: unauthorized('Bearer token unknown or expired') };
  }
  if (method === 'GET' && path === 'metadata') {
    return { status: 200, body: capabilityStatement() };
  }
  if (method === 'POST' && path === '$reset') {
    repo.clear();
    return { status: 200, body: core.allOk };
  }

  const body = parseBody(req, rawBody);
  let query = Object.fromEntries(groupParams(url.searchParams));
  let fhirBody = body;
  if (method === 'POST' && path.endsWith('/_search')) {
    query = { ...query, ...(body ?? {}) }; // form body parameters join the URL ones
    fhirBody = query;
  }
  if (method === 'POST' && path === '') {
    fhirBody = await resolveConditionalCreates(repo, fhirBody);
  }

  const fhirRequest = {
    method,
    url: path + url.search,
    pathname: '',
    body: fhirBody,
    params: {},
    query: {},
    headers: req.headers,
    config: { transactions: true },
  };
  repo.takeWritten(); // forget writes of an earlier request that failed outside the router
  const [outcome, resource] = await router.handleRequest(fhirRequest, repo);
  const written = repo.takeWritten();
  await notifySubscribers(repo, written).catch((err) => console.error(`subscription notification: ${err.message}`));
  return finishResponse({ method, path, query, base, outcome, resource, prefer: req.headers.prefer });
}

function handleAuth(req, url, rawBody, origin) {
  if (req.method === 'POST' && url.pathname === '/auth/token') {
    return smart.issueToken(Object.fromEntries(new URLSearchParams(rawBody)), `${origin}/auth/token`);
  }
  if (req.method === 'POST' && url.pathname === '/auth/register') {
    return smart.register(parseBody(req, rawBody));
  }
  if (req.method === 'GET' && url.pathname === '/auth/stats') {
    return smart.stats(url.searchParams.get('client_id'));
  }
  return { status: 404, body: core.notFound };
}

function unauthorized(text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', details: { text } }] };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, core.badRequest('Request body too large')));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(req, text) {
  if (!text.trim()) {
    return undefined;
  }
  if ((req.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(groupParams(new URLSearchParams(text)));
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, core.badRequest(`Malformed JSON body: ${err.message}`));
  }
}

function decodePath(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, core.badRequest('Malformed URL path'));
  }
}

/** URLSearchParams -> [name, value | value[]] pairs, repeated names grouped into arrays. */
function groupParams(params) {
  return [...new Set(params.keys())].map((key) => {
    const values = params.getAll(key);
    return [key, values.length === 1 ? values[0] : values];
  });
}

function send(res, { status, body, headers = {}, contentType = 'application/fhir+json' }) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': `${contentType}; charset=utf-8` } : {}),
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

server.listen(PORT, HOST, () => {
  const { address, port } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  process.stdout.write(`http://${host}:${port}${BASE_PATH}\n`);
});
