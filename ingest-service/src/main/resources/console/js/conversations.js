// The tenant's conversations: most urgent window first (the gateway's order: window expiry ascending, no window
// last), a live countdown each, unanswered markers and the assignee; filters mine / unassigned / expiring.
import { h, replaceChildren } from './dom.js';
import { formatCountdown, formatTime, millisUntil, windowUrgency } from './format.js';

const HOUR = 3_600_000;

/** The list's conversation from the gateway's list item (ConversationSummary). */
export function fromSummary(summary) {
  const out = summary.lastOutbound;
  return {
    id: summary.conversationId,
    expiresAt: summary.window?.expiresAt ?? null,
    assigneeId: summary.assignee?.id ?? null,
    unansweredSince: summary.unansweredSince ?? null,
    lastInboundAt: summary.lastInbound?.at ?? null,
    lastOutbound: out ? { channel: out.channel, at: out.at, status: out.outcome, errorCode: out.errorCode } : null,
    name: summary.customer?.profileName ?? null,
    phone: summary.customer?.phone ?? null,
  };
}

/** The same from a live `conversation` event, keeping what the event does not carry (the customer's name). */
export function fromEvent(event, known = {}) {
  return {
    ...known,
    id: event.conversationId,
    expiresAt: event.windowExpiresAt ?? null,
    assigneeId: event.assigneeId ?? null,
    unansweredSince: event.unansweredSince ?? null,
    lastInboundAt: event.lastInboundAt ?? null,
    lastOutbound: event.lastOutboundAt ? {
      channel: event.lastOutboundChannel, at: event.lastOutboundAt, status: event.lastOutboundStatus,
      errorCode: event.lastOutboundErrorCode,
    } : null,
  };
}

/**
 * What the agent reads when a take (take true) or release was refused: a 403 names the agent who holds the
 * conversation (problem.assigneeId) and says a supervisor is needed; anything else gives the server's reason.
 */
export function assignmentRefusal(take, status, problem) {
  const verb = take ? 'Not taken' : 'Not released';
  if (status === 403 && problem?.assigneeId) {
    return `${verb}: this conversation is assigned to ${problem.assigneeId}. Only a supervisor can `
      + `${take ? 'take over' : 'release'} another agent's conversation.`;
  }
  if (status === 403) return `${verb}: you are not allowed to (${problem?.detail ?? 'forbidden'}).`;
  return `${verb}: ${problem?.detail ?? problem?.title ?? `the server answered ${status}`}`;
}

/** "Ada (+15551230001)", or the number, or the customer part of the id (a BSUID). */
export function customerLabel(conversation) {
  const key = conversation.id.slice(conversation.id.indexOf(':') + 1);
  const number = conversation.phone ?? (/^\d+$/.test(key) ? key : null);
  const shown = number ? `+${number.replace(/^\+/, '')}` : key;
  return conversation.name ? `${conversation.name} (${shown})` : shown;
}

/** The gateway's order: window expiry ascending, conversations without a window last, then the id. */
export function compareUrgency(a, b) {
  if (a.expiresAt !== b.expiresAt) {
    if (!a.expiresAt) return 1;
    if (!b.expiresAt) return -1;
    const byTime = Date.parse(a.expiresAt) - Date.parse(b.expiresAt);
    if (byTime !== 0) return byTime;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether a conversation belongs in the list under a filter: all, mine, unassigned, expiring (within the hour). */
export function matchesFilter(conversation, filter, agentId, nowMillis) {
  switch (filter) {
    case 'mine': return conversation.assigneeId === agentId;
    case 'unassigned': return !conversation.assigneeId;
    case 'expiring': {
      const left = millisUntil(conversation.expiresAt, nowMillis);
      return left !== null && left > 0 && left <= HOUR;
    }
    default: return true;
  }
}

/** The gateway query of a filter. */
export function listPath(filter) {
  const query = new URLSearchParams({ limit: '50' });
  if (filter === 'mine') query.set('assignee', 'me');
  if (filter === 'unassigned') query.set('unassigned', 'true');
  if (filter === 'expiring') {
    query.set('window', 'expiring');
    query.set('within', 'PT1H');
  }
  return `/api/v1/conversations?${query}`;
}

/** The markers of a conversation now: unanswered, or closed without an answer (the window ran out first). */
export function markers(conversation, nowMillis) {
  if (!conversation.unansweredSince) return [];
  const left = millisUntil(conversation.expiresAt, nowMillis);
  return left !== null && left <= 0 ? ['closed-unanswered'] : ['unanswered'];
}

/** A countdown element the page's ticker keeps current (see refreshCountdowns). */
export function countdown(expiresAt, nowMillis, prefix = 'closes in') {
  const element = h('span', { class: 'countdown', dataset: { prefix } });
  if (expiresAt) element.dataset.expiresAt = expiresAt;
  refreshCountdown(element, nowMillis);
  return element;
}

function refreshCountdown(element, nowMillis) {
  const left = millisUntil(element.dataset.expiresAt, nowMillis);
  const urgency = windowUrgency(left);
  element.dataset.urgency = urgency;
  element.textContent = urgency === 'none' ? 'no window yet'
    : urgency === 'closed' ? 'window closed' : `${element.dataset.prefix} ${formatCountdown(left)}`;
  return urgency;
}

/** Updates every countdown on the page; true when one of them has just closed (markers change then). */
export function refreshCountdowns(nowMillis, root = document) {
  let closedNow = false;
  for (const element of root.querySelectorAll('.countdown[data-expires-at]')) {
    const before = element.dataset.urgency;
    if (refreshCountdown(element, nowMillis) === 'closed' && before !== 'closed') closedNow = true;
  }
  return closedNow;
}

const MARKER_TEXT = { unanswered: 'Unanswered', 'closed-unanswered': 'Closed unanswered' };

export class ConversationList {
  constructor({ element, moreButton, onOpen, agentId }) {
    this.element = element;
    this.moreButton = moreButton;
    this.onOpen = onOpen;
    this.agentId = agentId;
    this.byId = new Map();
    this.filter = 'all';
    this.next = null;
    this.selectedId = null;
  }

  async load(api, filter = this.filter) {
    this.filter = filter;
    const page = await api.get(listPath(filter));
    this.byId.clear();
    this.#take(page);
  }

  async loadMore(api) {
    if (this.next) this.#take(await api.get(this.next));
  }

  #take(page) {
    for (const summary of page.items ?? []) this.byId.set(summary.conversationId, fromSummary(summary));
    this.next = page.next ?? null;
    this.render();
  }

  get(id) {
    return this.byId.get(id);
  }

  /** Adds or updates a conversation from the live feed; true when it is new to the list. */
  upsert(conversation, nowMillis = Date.now()) {
    const isNew = !this.byId.has(conversation.id);
    if (matchesFilter(conversation, this.filter, this.agentId, nowMillis) || conversation.id === this.selectedId) {
      this.byId.set(conversation.id, conversation);
    } else {
      this.byId.delete(conversation.id);
    }
    this.render();
    return isNew && this.byId.has(conversation.id);
  }

  select(id) {
    this.selectedId = id;
    this.render();
  }

  focusSelected() {
    this.element.querySelector(`[data-conversation-id="${CSS.escape(this.selectedId ?? '')}"]`)?.focus();
  }

  render(nowMillis = Date.now()) {
    const focused = document.activeElement?.dataset?.conversationId;
    const items = [...this.byId.values()].sort(compareUrgency).map((conversation) => this.#item(conversation, nowMillis));
    replaceChildren(this.element, items.length ? items
      : h('li', { class: 'empty' }, this.filter === 'all' ? 'No conversations yet.' : 'No conversations match.'));
    this.moreButton.hidden = !this.next;
    if (focused) this.element.querySelector(`[data-conversation-id="${CSS.escape(focused)}"]`)?.focus();
  }

  #item(conversation, nowMillis) {
    const assignee = conversation.assigneeId
      ? (conversation.assigneeId === this.agentId ? 'assigned to you' : `assigned to ${conversation.assigneeId}`)
      : 'unassigned';
    const last = conversation.lastInboundAt ? `last message ${formatTime(conversation.lastInboundAt, nowMillis)}` : null;
    return h('li', {},
      h('button', {
        type: 'button', class: 'conversation', dataset: { conversationId: conversation.id },
        'aria-current': conversation.id === this.selectedId ? 'true' : null,
        onclick: () => this.onOpen(conversation.id),
      },
      h('span', { class: 'name' }, customerLabel(conversation)),
      h('span', { class: 'meta' },
        countdown(conversation.expiresAt, nowMillis),
        markers(conversation, nowMillis).map((marker) => h('span', { class: `badge ${marker}` }, MARKER_TEXT[marker])),
        h('span', { class: 'assignee' }, assignee),
        last && h('span', {}, last))));
  }
}
