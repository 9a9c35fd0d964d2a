// A conversation's thread, oldest first: the customer's messages (text, media, locations, contacts, reactions,
// replies-to) and ours (agent, channel, delivery ticks, the provider's failure, failover, cost).
import { h, replaceChildren } from './dom.js';
import {
  channelName, deliveryFailed, deliveryTicks, failureText, formatBytes, formatCost, formatTime, reasonText, stepName,
} from './format.js';

/** The element id of a thread entry ("in:wamid.X" -> "m-in_wamid_X"), for in-page links between entries. */
export function entryElementId(entryId) {
  return `m-${String(entryId).replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function excerpt(text, length = 80) {
  if (!text) return '';
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

const KNOWN_TYPES = new Set(['text', 'image', 'document', 'audio', 'video', 'sticker', 'location', 'contacts',
  'interactive', 'button', 'reaction']);

function isImage(media) {
  return typeof media?.mimeType === 'string' && media.mimeType.startsWith('image/');
}

function mediaPart(item, context) {
  const media = item.media;
  if (isImage(media)) {
    // The caption is the figure's caption: the alternative text says what the picture is, not the caption again.
    const image = h('img', { alt: 'Image from the customer' });
    context.loadImage(media.href).then((url) => { image.src = url; },
      () => image.replaceWith(h('span', { class: 'error' }, 'The image could not be loaded.')));
    return h('figure', {}, image, item.text && h('figcaption', { class: 'text' }, item.text));
  }
  const name = media.fileName ?? `${item.type ?? 'file'}${media.mimeType ? ` (${media.mimeType})` : ''}`;
  const size = formatBytes(media.sizeBytes);
  return [
    h('button', { type: 'button', class: 'download', onclick: () => context.download(media.href, media.fileName ?? item.type ?? 'file') },
      `Download ${name}${size ? `, ${size}` : ''}`),
    item.text && h('p', { class: 'text' }, item.text),
  ];
}

function locationPart(location) {
  const url = location.url
    ?? `https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=16/${location.latitude}/${location.longitude}`;
  return h('p', { class: 'location' }, 'Location: ',
    [location.name, location.address].filter(Boolean).join(', ') || 'Location', ' ',
    h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' },
      `${location.latitude}, ${location.longitude}`));
}

function contactsPart(contacts) {
  return h('ul', { class: 'contacts', 'aria-label': 'Shared contacts' },
    contacts.map((contact) => h('li', {}, 'Contact: ', contact.name ?? 'unnamed',
      (contact.phones ?? []).length ? `: ${contact.phones.join(', ')}` : '')));
}

function detailsPart(details) {
  const entries = Object.entries(details ?? {});
  if (!entries.length) return null;
  return h('details', {}, h('summary', {}, 'More from the provider'),
    h('dl', {}, entries.map(([key, value]) => [h('dt', {}, key),
      h('dd', {}, typeof value === 'string' ? value : JSON.stringify(value))])));
}

function inboundBody(item, context) {
  const parts = [];
  if (item.replyTo) {
    const quoted = context.lookup(item.replyTo);
    parts.push(h('p', { class: 'quote' }, '↩ In reply to ',
      quoted ? `“${excerpt(quoted.text ?? quoted.template?.name ?? quoted.type)}”` : 'an earlier message'));
  }
  if (item.media) parts.push(mediaPart(item, context));
  // An interactive or button reply's text is its title, shown with it below.
  else if (item.text && !item.interactive && !item.button) parts.push(h('p', { class: 'text' }, item.text));
  if (item.location) parts.push(locationPart(item.location));
  if (item.contacts?.length) parts.push(contactsPart(item.contacts));
  if (item.interactive) {
    parts.push(h('p', {}, `Chose “${item.interactive.title ?? item.interactive.replyId}”`,
      item.interactive.description ? ` (${item.interactive.description})` : ''));
  }
  if (item.button) parts.push(h('p', {}, `Pressed “${item.button.text ?? item.button.payload}”`));
  if (item.referral) {
    parts.push(h('p', { class: 'hint' }, `Came from ${item.referral.sourceType ?? 'an ad'}`,
      item.referral.sourceUrl ? ': ' : '', item.referral.sourceUrl ?? ''));
  }
  if (!parts.length || (parts.length === 1 && item.replyTo)) {
    parts.push(h('p', { class: 'hint' }, `A ${item.type ?? 'message'} the console cannot show`));
  }
  // The provider's other fields (a file's hash, ...) only for a type the console does not know how to show.
  if (!KNOWN_TYPES.has(item.type)) parts.push(detailsPart(item.details));
  if (item.reactions?.length) {
    parts.push(h('p', { class: 'reactions', 'aria-label': 'Reactions' },
      item.reactions.map((reaction) => h('span', { title: formatTime(reaction.at, context.now()) }, reaction.emoji))));
  }
  return parts;
}

function outboundBody(item) {
  const parts = [];
  if (item.template) {
    const parameters = item.template.parameters ?? [];
    parts.push(h('p', { class: 'template' }, `Template “${item.template.name}”`,
      item.template.language ? ` (${item.template.language})` : '', parameters.length ? `: ${parameters.join(' · ')}` : ''));
    if (item.text) parts.push(h('p', { class: 'text' }, item.text));
  } else {
    parts.push(h('p', { class: 'text' }, item.text ?? ''));
  }
  if (item.failover?.replacedBy) {
    parts.push(h('p', { class: 'failover' }, 'Failed after it was sent: ',
      h('a', { href: `#${entryElementId(item.failover.replacedBy)}` }, 'see the fallback that replaced it')));
  }
  if (item.failover?.of) {
    parts.push(h('p', { class: 'failover' }, 'Fallback for ',
      h('a', { href: `#${entryElementId(item.failover.of)}` }, 'the message that failed')));
  }
  const ticks = deliveryTicks(item.status, item.delivery);
  const failure = failureText(item.delivery);
  const cost = formatCost(item.estimatedCost);
  parts.push(h('p', { class: 'foot' },
    h('span', { class: 'ticks', dataset: { state: ticks.state }, 'aria-hidden': 'true', title: ticks.label }, ticks.ticks),
    h('span', { class: 'state' }, ticks.label),
    failure && h('span', { class: 'error' }, `error ${failure}`),
    // The reason is news when it is not the usual one (a fallback, a hold, a rejection).
    item.reason && item.reason !== 'WINDOW_OPEN' && h('span', { class: 'reason' }, reasonText(item.reason)),
    cost && h('span', { class: 'cost' }, `cost ${cost}${item.estimatedCost.basis ? ` (${item.estimatedCost.basis})` : ''}`)));
  return parts;
}

/** One thread entry as a list item. context: {loadImage(href), download(href, name), lookup(wamid), now()}. */
export function renderItem(item, context) {
  const inbound = item.direction === 'INBOUND';
  const failed = !inbound && (item.status === 'FAILED' || deliveryFailed(item.delivery));
  const who = inbound ? 'Customer' : (item.agentId ?? 'answerline');
  const step = !inbound && item.step && item.step !== 'REPLY' ? stepName(item.step) : null;
  return h('li', {
    id: entryElementId(item.id), tabindex: '-1',
    class: `msg ${inbound ? 'inbound' : 'outbound'}${failed ? ' failed' : ''}`,
    dataset: { entryId: item.id, direction: item.direction, status: item.status ?? '', type: item.type ?? '' },
  },
  h('p', { class: 'head' }, h('span', { class: 'who' }, who), h('span', {}, formatTime(item.at, context.now())),
    item.channel && h('span', {}, channelName(item.channel)), step && h('span', {}, step)),
  inbound ? inboundBody(item, context) : outboundBody(item));
}

/** Thread entries in reading order: oldest first, ties by id. */
export function compareEntries(a, b) {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class Thread {
  /** context as for renderItem, without lookup (the thread provides it). */
  constructor({ element, olderButton, context }) {
    this.element = element;
    this.olderButton = olderButton;
    this.context = { ...context, lookup: (wamid) => this.byProviderId(wamid) };
    this.items = new Map();
    this.next = null;
    this.conversationId = null;
  }

  async open(api, conversationId) {
    this.conversationId = conversationId;
    this.items.clear();
    this.next = null;
    replaceChildren(this.element);
    const page = await api.get(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages?limit=50`);
    if (this.conversationId !== conversationId) return;
    this.#take(page);
    this.element.lastElementChild?.scrollIntoView({ block: 'end' });
  }

  async loadOlder(api) {
    if (!this.next) return;
    const conversationId = this.conversationId;
    const page = await api.get(this.next);
    if (this.conversationId === conversationId) this.#take(page);
  }

  close() {
    this.conversationId = null;
    this.items.clear();
    replaceChildren(this.element);
  }

  #take(page) {
    for (const item of page.items ?? []) this.items.set(item.id, item);
    this.next = page.next ?? null;
    this.render();
  }

  byProviderId(wamid) {
    for (const item of this.items.values()) if (item.providerMessageId === wamid) return item;
    return undefined;
  }

  entries() {
    return [...this.items.values()].sort(compareEntries);
  }

  /** A new or changed entry from the live feed (a new message, a delivery status); true when it is new. */
  upsert(item) {
    const isNew = !this.items.has(item.id);
    const atEnd = this.element.lastElementChild?.getBoundingClientRect().top <= window.innerHeight;
    this.items.set(item.id, item);
    const element = renderItem(item, this.context);
    const existing = document.getElementById(entryElementId(item.id));
    if (existing) {
      existing.replaceWith(element);
    } else {
      const later = this.entries().find((other) => compareEntries(item, other) < 0);
      const before = later && document.getElementById(entryElementId(later.id));
      this.element.insertBefore(element, before ?? null);
      if (atEnd) element.scrollIntoView({ block: 'nearest' });
    }
    return isNew;
  }

  render() {
    replaceChildren(this.element, this.entries().map((item) => renderItem(item, this.context)));
    this.olderButton.hidden = !this.next;
  }
}
