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

/**
 * Opens GET url as an event stream with the bearer token and keeps it open: reconnects with backoff after an
 * error or the end of the stream. onState('open' | 'reconnecting' | 'closed'); onUnauthorized on a 401 (the
 * stream then stops). Returns {close()}.
 */
export function openEventStream({ url, token, onEvent, onState = () => {}, onUnauthorized = () => {} }) {
  let stopped = false;
  let controller = null;
  let attempt = 0;

  async function readOnce() {
    controller = new AbortController();
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' },
      cache: 'no-store', signal: controller.signal,
    });
    if (response.status === 401) {
      stopped = true;
      onUnauthorized();
      return;
    }
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
    attempt = 0;
    onState('open');
    const parser = new SseParser(onEvent);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  }

  (async () => {
    while (!stopped) {
      try {
        await readOnce();
      } catch (error) {
        if (stopped) break;
      }
      if (stopped) break;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt++)));
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
