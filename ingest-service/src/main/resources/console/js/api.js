// The agents' gateway (/api/v1) with the signed-in agent's bearer token. A 401 means the token is no longer
// accepted: the console signs the agent out and shows the sign-in again.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `the server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** @param token () => the access token; @param onUnauthorized called on any 401 */
export function createApi({ token, onUnauthorized }) {
  async function call(method, path, { body, headers = {} } = {}) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          Accept: 'application/json', Authorization: `Bearer ${token()}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (network) {
      throw new ApiError(0, { detail: 'the server cannot be reached; check the connection and retry' });
    }
    if (response.status === 401) {
      onUnauthorized();
      throw new ApiError(401, { detail: 'signed out: the token is no longer accepted' });
    }
    const type = response.headers.get('Content-Type') ?? '';
    const data = type.includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return { status: response.status, data, headers: response.headers };
  }

  return {
    get: async (path) => (await call('GET', path)).data,
    call,
    /** A media file as a Blob (an <img src> cannot carry the Authorization header; an object URL can show it). */
    async blob(href) {
      const response = await fetch(href, { headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store' });
      if (response.status === 401) {
        onUnauthorized();
        throw new ApiError(401, null);
      }
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
      return response.blob();
    },
  };
}
