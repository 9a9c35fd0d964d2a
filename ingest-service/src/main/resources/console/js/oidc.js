// Sign-in with OpenID Connect: authorization code with PKCE (S256), as a public client (no secret in a browser).
// The access token lives in sessionStorage (this tab only, gone when it closes), never in a URL once signed in.

const SESSION_KEY = 'answerline.console.session';
const PENDING_KEY = 'answerline.console.pending';

export class SignInError extends Error {}

/** RFC 4648 base64url without padding. */
export function base64url(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** A random URL-safe string of byteCount random bytes (32 bytes: a 43-character PKCE verifier). */
export function randomToken(byteCount = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))) (RFC 7636 4.2). */
export async function pkceChallenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(digest);
}

/** The claims of a JWT, unverified: the API verifies the token; the console only reads who signed in. */
export function jwtClaims(jwt) {
  const payload = String(jwt).split('.')[1];
  if (!payload) throw new SignInError('the token is not a JWT');
  const base64 = payload.replaceAll('-', '+').replaceAll('_', '/');
  const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  return JSON.parse(json);
}

/** The provider's OpenID Connect discovery document. */
export async function discover(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new SignInError(`the identity provider's discovery document answered ${response.status}`);
  const document = await response.json();
  // OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
  const bare = (url) => String(url ?? '').replace(/\/+$/, '');
  if (bare(document.issuer) !== bare(issuer)) {
    throw new SignInError(`the discovery document names another issuer (${document.issuer})`);
  }
  if (!document.authorization_endpoint || !document.token_endpoint) {
    throw new SignInError('the identity provider names no authorization or token endpoint');
  }
  const methods = document.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new SignInError('the identity provider does not support PKCE with S256');
  }
  return document;
}

/** Where the provider sends the browser back: the console's own address, without query or fragment. */
export function redirectUri(href) {
  return new URL('./', href).href;
}

/**
 * Starts a sign-in: remembers state, nonce and verifier for this tab, then leaves for the provider's sign-in page.
 * @param navigate receives the authorization URL (location.assign in the console)
 */
export async function startSignIn(config, href, navigate) {
  const provider = await discover(config.issuer);
  const pending = {
    state: randomToken(), nonce: randomToken(), verifier: randomToken(32),
    tokenEndpoint: provider.token_endpoint, redirectUri: redirectUri(href),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: pending.redirectUri, scope: config.scope,
    state: pending.state, nonce: pending.nonce,
    code_challenge: await pkceChallenge(pending.verifier), code_challenge_method: 'S256',
  }).toString();
  navigate(url.href);
}

/** Whether the address is the provider's answer to a sign-in (a code, or an error). */
export function isSignInResponse(href) {
  const params = new URL(href).searchParams;
  return params.has('code') || params.has('error');
}

/**
 * Finishes a sign-in from the provider's redirect: checks state, exchanges the code (with the verifier) at the
 * token endpoint, checks the ID token's nonce, and keeps the session. The pending sign-in is used once, whatever
 * happens. The caller removes code and state from the address bar.
 */
export async function completeSignIn(config, href, nowMillis = Date.now()) {
  const params = new URL(href).searchParams;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  sessionStorage.removeItem(PENDING_KEY);
  if (params.has('error')) {
    throw new SignInError(`sign-in refused: ${params.get('error_description') ?? params.get('error')}`);
  }
  if (!pending || !params.get('state') || params.get('state') !== pending.state) {
    throw new SignInError('this sign-in was not started here (state does not match); sign in again');
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: pending.redirectUri,
      client_id: config.clientId, code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) {
    throw new SignInError(`the token endpoint refused the code: ${tokens.error_description ?? tokens.error ?? response.status}`);
  }
  if (tokens.id_token && jwtClaims(tokens.id_token).nonce !== pending.nonce) {
    throw new SignInError('the ID token is not for this sign-in (nonce does not match)');
  }
  const claims = jwtClaims(tokens.access_token);
  const expiresAt = claims.exp ? claims.exp * 1000 : nowMillis + (tokens.expires_in ?? 3600) * 1000;
  const session = {
    accessToken: tokens.access_token, expiresAt,
    agentId: claims.sub, tenantId: claims.tenant_id, roles: claims.roles ?? [], name: claims.name ?? null,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/** This tab's session, or null when there is none or its token has expired. */
export function currentSession(nowMillis = Date.now()) {
  const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  if (!session || !session.accessToken || session.expiresAt <= nowMillis) {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
  return session;
}

export function signOut() {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(PENDING_KEY);
}
