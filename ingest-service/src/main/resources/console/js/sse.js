// Server-sent events over fetch: EventSource cannot send an Authorization header, so the console reads the
// stream itself and parses it as the HTML standard says (fields, comments, CR/LF/CRLF line ends, multi-line data).

/** An incremental SSE parser: feed it text as it arrives; it calls onEvent({type, data, id}) per complete event. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.lastEventId = '';
    this.#reset();
  }

  feed(text) {
    this.buffer += text;
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) return;
      // A CR at the very end may be the first half of a CRLF split across two chunks: wait for the next one.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) return;
      const line = this.buffer.slice(0, end);
      const skip = this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1;
      this.buffer = this.buffer.slice(end + skip);
      this.#line(line);
    }
  }

  #line(line) {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment: the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    // "retry" and unknown fields: the console has its own reconnection policy.
  }

  #dispatch() {
    if (this.data.length > 0) {
      this.onEvent({ type: this.type || 'message', data: this.data.join('\n'), id: this.lastEventId });
    }
    this.#reset();
  }

  #reset() {
    this.type = '';
    this.data = [];
  }
}

/** The pause before reconnection attempt n (0, 1, ...): 1 s doubling to at most 30 s, with up to 20 % less jitter. */
export function reconnectDelay(attempt, random = Math.random) {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 15));
  return Math.round(base * (1 - 0.2 * random()));
}

/** Retry-After in milliseconds (delay-seconds form; a date or nothing: 0). */
export function retryAfterMillis(header) {
  const seconds = Number.parseInt(header ?? '', 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/**
 * Opens GET url as an event stream with the bearer token and keeps it open: reconnects with backoff after an
 * error or the end of the stream (at least the Retry-After of a 429 or 503). The server ends a stream at its token's
 * expiry with an `expired` event: the console then reconnects at once with its current token (token() is read again,
 * so a refreshed one is used), unless that token has expired too (tokenExpiresAt(), epoch millis), when
 * onTokenExpired is called and the stream stops. onState('open' | 'reconnecting' | 'closed'); onUnauthorized on a 401
 * (the stream then stops). Returns {close()}.
 */
export function openEventStream({
  url, token, onEvent, onState = () => {}, onUnauthorized = () => {},
  tokenExpiresAt = () => Infinity, onTokenExpired = () => {}, now = () => Date.now(),
}) {
  let stopped = false;
  let controller = null;
  let attempt = 0;

  /** Reads one stream to its end: 'expired' when the server ended it at the token's expiry, else 'ended'. */
  async function readOnce() {
    controller = new AbortController();
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' },
      cache: 'no-store', signal: controller.signal,
    });
    if (response.status === 401) {
      stopped = true;
      onUnauthorized();
      return 'unauthorized';
    }
    if (!response.ok || !response.body) {
      const error = new Error(`event stream answered ${response.status}`);
      error.retryAfter = retryAfterMillis(response.headers.get('Retry-After'));
      throw error;
    }
    attempt = 0;
    onState('open');
    let expired = false;
    const parser = new SseParser((event) => {
      if (event.type === 'expired') expired = true;
      else onEvent(event);
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return expired ? 'expired' : 'ended';
      parser.feed(value);
      if (expired) {
        // The server ends the stream after this event; nothing more is read from it.
        controller.abort();
        return 'expired';
      }
    }
  }

  (async () => {
    while (!stopped) {
      let end = 'ended';
      let retryAfter = 0;
      try {
        end = await readOnce();
      } catch (error) {
        if (stopped) break;
        retryAfter = error.retryAfter ?? 0;
      }
      if (stopped) break;
      if (end === 'expired') {
        if (tokenExpiresAt() <= now()) {
          stopped = true;
          onTokenExpired();
          break;
        }
        continue; // at once, with the token token() gives now
      }
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, Math.max(reconnectDelay(attempt++), retryAfter)));
    }
    onState('closed');
  })();

  return {
    close() {
      stopped = true;
      controller?.abort();
    },
  };
}
