'use strict';
// SMART Backend Services token endpoint for tests (client_credentials + private_key_jwt, RS384/ES384).
// Clients are registered at run time with their public JWKS (POST /auth/register), as a hospital would
// register the AI service. Tokens are opaque, in memory, and checked only on FHIR requests that carry a
// Bearer token (requests without Authorization stay open, so the other tests need no token).
// Routes: GET /fhir/R4/.well-known/smart-configuration, POST /auth/register, POST /auth/token,
//         GET /auth/stats?client_id= (how many tokens were issued: lets tests prove caching).

const crypto = require('node:crypto');

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_ASSERTION_LIFETIME_S = 300;

const clients = new Map(); // client_id -> { keys, tokenLifetimeS, scope, issued }
const tokens = new Map(); // access_token -> { clientId, expiresAt }
const seenJti = new Set();

function smartConfiguration(origin) {
  return {
    token_endpoint: `${origin}/auth/token`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['system/*.rs', 'system/*.cruds', 'system/*.read', 'system/*.write'],
    capabilities: ['client-confidential-asymmetric'],
  };
}

function register(body) {
  if (!body?.client_id || !Array.isArray(body.jwks?.keys) || body.jwks.keys.length === 0) {
    return oauthError(400, 'invalid_client_metadata', 'client_id and jwks.keys are required');
  }
  clients.set(body.client_id, {
    keys: body.jwks.keys,
    tokenLifetimeS: Number(body.token_lifetime_s) || 300,
    issued: 0,
  });
  return { status: 201, body: { client_id: body.client_id } };
}

/** form: the parsed x-www-form-urlencoded body; tokenUrl: this endpoint's own URL (the expected aud). */
function issueToken(form, tokenUrl) {
  if (form?.grant_type !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  if (form.client_assertion_type !== ASSERTION_TYPE || typeof form.client_assertion !== 'string') {
    return oauthError(400, 'invalid_request', 'a private_key_jwt client_assertion is required');
  }
  const parts = form.client_assertion.split('.');
  if (parts.length !== 3) {
    return oauthError(400, 'invalid_request', 'client_assertion is not a JWS compact serialization');
  }
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return oauthError(400, 'invalid_request', 'client_assertion is not valid JSON');
  }
  const client = clients.get(claims.iss);
  if (!client || claims.sub !== claims.iss) {
    return oauthError(401, 'invalid_client', 'unknown client, or iss differs from sub');
  }
  if (!verifySignature(header, parts, client.keys)) {
    return oauthError(401, 'invalid_client', 'signature does not verify with the registered keys');
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== tokenUrl) {
    return oauthError(401, 'invalid_client', 'aud must be the token endpoint URL');
  }
  if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + MAX_ASSERTION_LIFETIME_S + 5) {
    return oauthError(401, 'invalid_client', 'exp must be in the future and at most five minutes away');
  }
  if (typeof claims.jti !== 'string' || seenJti.has(`${claims.iss}|${claims.jti}`)) {
    return oauthError(401, 'invalid_client', 'jti missing or already used');
  }
  seenJti.add(`${claims.iss}|${claims.jti}`);

  const accessToken = crypto.randomBytes(24).toString('base64url');
  tokens.set(accessToken, { clientId: claims.iss, expiresAt: Date.now() + client.tokenLifetimeS * 1000 });
  client.issued++;
  return {
    status: 200,
    body: { access_token: accessToken, token_type: 'bearer', expires_in: client.tokenLifetimeS, scope: form.scope ?? '' },
    contentType: 'application/json',
  };
}

function verifySignature(header, parts, keys) {
  if (header.alg !== 'RS384' && header.alg !== 'ES384') {
    return false;
  }
  const candidates = keys.filter((k) => (header.kid ? k.kid === header.kid : true));
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  return candidates.some((jwk) => {
    try {
      const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
      const options = header.alg === 'ES384' ? { key, dsaEncoding: 'ieee-p1363' } : key;
      return crypto.verify('sha384', data, options, signature);
    } catch {
      return false;
    }
  });
}

/** undefined when the request carries no Bearer token; otherwise true/false for a live token we issued. */
function bearerIsValid(authorization) {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization || '');
  if (!match) {
    return undefined;
  }
  const token = tokens.get(match[1]);
  return Boolean(token && token.expiresAt > Date.now());
}

function stats(clientId) {
  const client = clients.get(clientId);
  return client ? { status: 200, body: { issued: client.issued }, contentType: 'application/json' } : oauthError(404, 'invalid_client', 'unknown client');
}

function oauthError(status, error, description) {
  return { status, body: { error, error_description: description }, contentType: 'application/json' };
}

module.exports = { smartConfiguration, register, issueToken, bearerIsValid, stats };
