// The signed-in console: the list, the open thread with its composer, the live feed and the countdown ticker.
import { createApi } from './api.js';
import { Composer } from './composer.js';
import {
  assignmentRefusal, ConversationList, countdown, customerLabel, fromEvent, fromSummary, markers, refreshCountdowns,
} from './conversations.js';
import { $, announce, h, replaceChildren } from './dom.js';
import { openEventStream } from './sse.js';
import { Thread } from './thread.js';

const MARKER_TEXT = { unanswered: 'Unanswered', 'closed-unanswered': 'Closed unanswered' };

function conversationPath(id, suffix = '') {
  return `/api/v1/conversations/${encodeURIComponent(id)}${suffix}`;
}

/**
 * Starts the console for a signed-in agent. onSignedOut(message) is called when the API stops accepting the token
 * (401) or it expires. Returns {stop()}.
 */
export function startConsole({ session, onSignedOut }) {
  const listeners = new AbortController();
  const on = (element, type, handler) => element.addEventListener(type, handler, { signal: listeners.signal });
  let stopped = false;
  const end = (message) => {
    if (stopped) return;
    stop();
    onSignedOut(message);
  };
  const api = createApi({ token: () => session.accessToken, onUnauthorized: () => end('Your session has ended: sign in again.') });

  const media = new Map(); // href -> Promise<object URL>, revoked when the thread closes
  const loadImage = (href) => {
    if (!media.has(href)) media.set(href, api.blob(href).then((blob) => URL.createObjectURL(blob)));
    return media.get(href);
  };
  const download = async (href, fileName) => {
    try {
      const url = URL.createObjectURL(await api.blob(href));
      const link = h('a', { href: url, download: fileName, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      $('thread-message').textContent = `The file could not be downloaded: ${error.message}`;
    }
  };
  const releaseMedia = () => {
    for (const url of media.values()) url.then((u) => URL.revokeObjectURL(u), () => {});
    media.clear();
  };

  const layout = $('app');
  const list = new ConversationList({
    element: $('conversations'), moreButton: $('more-conversations'), agentId: session.agentId, onOpen: (id) => open(id),
  });
  const thread = new Thread({
    element: $('messages'), olderButton: $('older'), context: { loadImage, download, now: () => Date.now() },
  });
  const composer = new Composer({
    api, signal: listeners.signal,
    elements: {
      form: $('composer'), route: $('route'), draft: $('draft'), draftLabel: document.querySelector('label[for="draft"]'),
      utility: $('utility'), send: $('send'), sendMessage: $('send-message'), outcomes: $('outcomes'), held: $('held'), heldList: $('held-list'),
    },
  });
  let current = null; // {id, expiresAt}

  function renderHeader(conversation) {
    const now = Date.now();
    $('thread-title').textContent = customerLabel(conversation);
    replaceChildren($('thread-window'), countdown(conversation.expiresAt, now, 'window closes in'), ' ',
      markers(conversation, now).map((marker) => h('span', { class: `badge ${marker}` }, MARKER_TEXT[marker])));
    const assignee = conversation.assigneeId;
    $('thread-assignee').textContent = !assignee ? 'Unassigned.'
      : assignee === session.agentId ? 'Assigned to you.' : `Assigned to ${assignee}.`;
    $('take').hidden = assignee === session.agentId;
    $('release').hidden = !assignee;
  }

  async function open(id) {
    current = { id, expiresAt: null };
    list.select(id);
    layout.classList.add('reading');
    $('no-thread').hidden = true;
    $('thread').hidden = false;
    $('thread-message').textContent = '';
    releaseMedia();
    renderHeader(list.get(id) ?? { id });
    composer.open(id, null);
    $('thread-title').focus();
    const conversation = api.get(conversationPath(id)).then((view) => {
      if (current?.id !== id) return;
      const summary = fromSummary(view);
      current.expiresAt = summary.expiresAt;
      list.upsert(summary);
      renderHeader(summary);
      composer.setView(view);
    });
    const messages = thread.open(api, id).then(() => {
      if (current?.id === id) thread.entries().forEach((item) => composer.onThreadItem(item));
    });
    const [viewResult, threadResult] = await Promise.allSettled([conversation, messages]);
    if (current?.id !== id) return;
    const problems = [];
    if (viewResult.status === 'rejected') problems.push(`The conversation could not be read: ${viewResult.reason.message}`);
    if (threadResult.status === 'rejected') {
      problems.push(threadResult.reason.status === 404 ? 'No messages are kept for this conversation yet.'
        : `The messages could not be read: ${threadResult.reason.message}`);
    }
    $('thread-message').textContent = problems.join(' ');
  }

  function closeThread() {
    current = null;
    thread.close();
    composer.close();
    releaseMedia();
    layout.classList.remove('reading');
    $('thread').hidden = true;
    $('no-thread').hidden = false;
    list.focusSelected();
  }

  async function assign(take) {
    const id = current?.id;
    if (!id) return;
    try {
      if (take) {
        await api.call('PUT', conversationPath(id, '/assignee'), { body: { agentId: session.agentId } });
      } else {
        await api.call('DELETE', conversationPath(id, '/assignee'));
      }
      const conversation = { ...(list.get(id) ?? { id }), assigneeId: take ? session.agentId : null };
      list.upsert(conversation);
      if (current?.id === id) renderHeader(conversation);
      announce(take ? 'You took this conversation.' : 'You released this conversation.');
      (take ? $('release') : $('take')).focus();
    } catch (error) {
      const holder = error.status === 403 ? error.problem?.assigneeId : undefined;
      if (holder) {
        // The list was behind: show who holds the conversation now.
        const conversation = { ...(list.get(id) ?? { id }), assigneeId: holder };
        list.upsert(conversation);
        if (current?.id === id) renderHeader(conversation);
      }
      $('thread-message').textContent = assignmentRefusal(take, error.status, error.problem ?? { detail: error.message });
    }
  }

  async function reloadList() {
    try {
      $('list-message').textContent = '';
      await list.load(api);
    } catch (error) {
      $('list-message').textContent = `The conversations could not be read: ${error.message}`;
    }
  }

  /** A conversation the list has not seen: its customer's name comes with the full read. */
  async function fillIn(id) {
    try {
      const view = await api.get(conversationPath(id));
      const summary = fromSummary(view);
      if (list.get(id)) list.upsert({ ...list.get(id), name: summary.name, phone: summary.phone });
    } catch (ignored) {
      // the live event's data stays
    }
  }

  function onEvent({ type, data }) {
    let payload;
    try {
      payload = JSON.parse(data);
    } catch (notJson) {
      return;
    }
    if (type === 'conversation') {
      const known = list.get(payload.conversationId);
      const conversation = fromEvent(payload, known);
      if (list.upsert(conversation)) {
        announce(`New conversation: ${customerLabel(conversation)}`);
        fillIn(conversation.id);
      }
      if (current?.id === conversation.id) {
        renderHeader(conversation);
        if (conversation.expiresAt !== current.expiresAt) {
          current.expiresAt = conversation.expiresAt;
          composer.refreshPreview();
        }
      }
    } else if (type === 'message') {
      const { conversationId, message } = payload;
      if (!message) return;
      let isNew = true;
      if (current?.id === conversationId) {
        isNew = thread.upsert(message);
        composer.onThreadItem(message);
      }
      if (isNew && message.direction === 'INBOUND') {
        const conversation = list.get(conversationId) ?? { id: conversationId };
        announce(`New message from ${customerLabel(conversation)}${message.text ? `: ${message.text}` : ''}`);
      }
    } else if (type === 'reply-outcome') {
      composer.onOutcome(payload);
    }
  }

  let wasOpen = false;
  const stream = openEventStream({
    url: '/api/v1/events', token: () => session.accessToken, onEvent,
    onUnauthorized: () => end('Your session has ended: sign in again.'),
    // The server ends the stream at the token's expiry: reconnect with the current token, or sign in again.
    tokenExpiresAt: () => session.expiresAt,
    onTokenExpired: () => end('Your session has expired: sign in again.'),
    onState: (state) => {
      const status = $('live-status');
      status.dataset.state = state;
      status.textContent = { open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' }[state] ?? state;
      if (state === 'open' && wasOpen) {
        // No history on the stream: what happened while it was away is read again.
        reloadList();
        if (current) thread.open(api, current.id).catch(() => {});
      }
      if (state === 'open') wasOpen = true;
    },
  });

  const ticker = setInterval(() => {
    if (refreshCountdowns(Date.now())) {
      list.render();
      if (current) renderHeader(list.get(current.id) ?? { id: current.id });
    }
  }, 1000);
  const expiry = setTimeout(() => end('Your session has expired: sign in again.'), Math.max(0, session.expiresAt - Date.now()));

  for (const radio of document.querySelectorAll('input[name="filter"]')) {
    on(radio, 'change', () => {
      list.filter = radio.value;
      reloadList();
    });
  }
  on($('more-conversations'), 'click', () => list.loadMore(api).catch((error) => {
    $('list-message').textContent = `More conversations could not be read: ${error.message}`;
  }));
  on($('older'), 'click', () => thread.loadOlder(api).catch((error) => {
    $('thread-message').textContent = `Older messages could not be read: ${error.message}`;
  }));
  on($('back'), 'click', closeThread);
  on($('take'), 'click', () => assign(true));
  on($('release'), 'click', () => assign(false));
  on($('thread-pane'), 'keydown', (event) => {
    if (event.key !== 'Escape' || !current) return;
    if (event.target === $('draft') && $('draft').value) return; // Escape does not throw a draft away
    event.preventDefault();
    closeThread();
  });

  function stop() {
    stopped = true;
    listeners.abort();
    stream.close();
    clearInterval(ticker);
    clearTimeout(expiry);
    composer.close();
    thread.close();
    releaseMedia();
  }

  reloadList();
  return { stop };
}
