// The reply composer: says before sending which channel the reply takes and what it costs (the conversation's
// replyPreview with its options, re-read with the draft as the agent types), offers the allowed choices when the
// window is closed or closing (SMS with the link, a template with its parameters, hold until the customer is
// back, the agent's text on WhatsApp through Direct Send when it is marked utility), sends with an Idempotency-Key,
// and follows each reply's outcome (live events, the outcome link as fallback). Held answers are listed with a
// cancel button.
import { announce, h, replaceChildren } from './dom.js';
import {
  channelName, deliveryFailed, deliveryTicks, directSendWhy, failureText, formatCost, formatTime, reasonText,
  waitingText,
} from './format.js';

const PREVIEW_DEBOUNCE_MILLIS = 400;

function excerpt(text, length = 60) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
// The outcome link is the fallback of the live feed: first asked after 5 s (the feed has usually settled the reply by
// then; before its first outcome the link answers 404), then less and less often.
const POLL_DELAYS_MILLIS = [5000, 8000, 13000, 20000, 30000, 30000];

/** One key per choice: a kind, and for templates which one. */
export function optionKey(option) {
  return option.template ? `${option.kind}:${option.template.name}:${option.template.language}` : option.kind;
}

/** The preview's option of the agent's text on WhatsApp through Direct Send (known by its channel). */
export function isDirectSend(option) {
  return option?.channel === 'WHATSAPP_DIRECT_SEND';
}

/** The option dispatch would pick now (the preview's own channel and outcome), among the allowed ones. */
export function defaultOption(preview, allowed) {
  if (!preview) return allowed[0] ?? null;
  if (preview.outcome === 'HOLD') return allowed.find((o) => o.kind === 'HOLD') ?? allowed[0] ?? null;
  if (preview.channel === 'WHATSAPP_DIRECT_SEND') return allowed.find(isDirectSend) ?? null;
  const byChannel = { WHATSAPP: 'WHATSAPP_FREE_FORM', SMS: 'SMS_WITH_LINK', WHATSAPP_TEMPLATE: 'TEMPLATE' };
  return allowed.find((o) => o.kind === byChannel[preview.channel]) ?? null;
}

/**
 * The gateway's reply body for a choice: text with its fallback (and category UTILITY when the agent marked it so;
 * Direct Send always, it takes nothing else), or a template with its parameters (a template has its own category).
 */
export function replyBody(option, text, parameters = [], utility = false) {
  if (option?.kind === 'TEMPLATE') {
    return {
      template: { name: option.template.name, language: option.template.language, parameters },
      fallback: option.fallback ?? 'TEMPLATE',
    };
  }
  if (isDirectSend(option)) return { text, fallback: option.fallback ?? 'DIRECT_SEND', category: 'UTILITY' };
  const body = { text, fallback: option?.fallback ?? 'AUTO' };
  if (utility) body.category = 'UTILITY';
  return body;
}

/** The conversation read's query for the preview of a draft: its text, and its mark when it is utility. */
export function previewQuery(text, utility) {
  const parameters = [];
  if (text) parameters.push(`text=${encodeURIComponent(text)}`);
  if (utility) parameters.push('category=UTILITY');
  return parameters.length ? `?${parameters.join('&')}` : '';
}

/** A template body with the parameters filled in where given ("Dear {{1}}" + ["Ada"] -> "Dear Ada"). */
export function fillTemplate(body, parameters) {
  return String(body ?? '').replace(/\{\{(\d+)\}\}/g, (placeholder, n) => parameters[Number(n) - 1] || placeholder);
}

function optionTitle(option) {
  if (isDirectSend(option)) return 'Your answer on WhatsApp through Direct Send';
  switch (option.kind) {
    case 'WHATSAPP_FREE_FORM': return 'WhatsApp message';
    case 'SMS_WITH_LINK': return 'SMS with a link back to WhatsApp';
    case 'TEMPLATE': return `Template “${option.template?.name}”`;
    case 'HOLD': return 'Hold the answer until the customer is back';
    default: return channelName(option.channel) || option.kind;
  }
}

/** The line under a choice: cost, SMS segments, template category, what a hold sends now. */
export function optionDetail(option) {
  const parts = [];
  const cost = formatCost(option.estimatedCost);
  parts.push(cost ? `costs ${cost}` : 'cost unknown');
  if (option.sms?.segments) {
    parts.push(`${option.sms.segments} SMS segment${option.sms.segments === 1 ? '' : 's'}${option.sms.encoding ? `, ${option.sms.encoding.replace('_', '-')}` : ''}`);
  }
  if (option.kind === 'TEMPLATE' && option.template) {
    parts.push([option.template.category, option.template.language].filter(Boolean).join(', '));
  }
  if (option.kind === 'HOLD' && option.template) {
    parts.push(`sends the invitation “${option.template.name}” now; your answer follows when the customer writes`);
  }
  if (isDirectSend(option)) parts.push('in the customer’s WhatsApp chat, as a utility message');
  return parts.filter(Boolean).join(' · ');
}

/** The line saying why Direct Send is not offered now (with what it would cost); null when it is, or not listed. */
export function directSendNote(options) {
  const option = options?.find(isDirectSend);
  if (!option || option.allowed) return null;
  const cost = formatCost(option.estimatedCost);
  return `WhatsApp · Direct Send: not now, ${directSendWhy(option.why)}${cost ? ` (it would cost ${cost})` : ''}.`;
}

const SEND_LABEL = {
  WHATSAPP_FREE_FORM: 'Send on WhatsApp', SMS_WITH_LINK: 'Send SMS', TEMPLATE: 'Send template',
  HOLD: 'Send invitation and hold',
};

function sendLabel(option) {
  return isDirectSend(option) ? 'Send on WhatsApp (Direct Send)' : SEND_LABEL[option?.kind] ?? 'Send';
}

function outcomeText(outcome) {
  const ticks = deliveryTicks(outcome.status, outcome.delivery);
  const waiting = waitingText(outcome);
  if (waiting) return { ticks, text: waiting };
  const parts = [ticks.label];
  if (outcome.channel && outcome.channel !== 'NONE') parts.push(`on ${channelName(outcome.channel)}`);
  const failure = failureText(outcome.delivery) || (outcome.errorCode ? String(outcome.errorCode) : '');
  if (failure) parts.push(`error ${failure}`);
  if (outcome.status === 'HELD' && outcome.holdExpiresAt) parts.push(`at most until ${formatTime(outcome.holdExpiresAt)}`);
  else if (outcome.reason && outcome.reason !== 'WINDOW_OPEN') parts.push(reasonText(outcome.reason));
  const cost = formatCost(outcome.estimatedCost);
  if (cost) parts.push(`cost ${cost}`);
  return { ticks, text: parts.join(' · ') };
}

/** Whether an outcome will still change (not final, or sent and not yet delivered, read or failed). */
function settled(outcome) {
  const state = outcome.delivery?.state;
  return outcome.final && (outcome.status !== 'SENT' || state === 'DELIVERED' || state === 'READ' || deliveryFailed(outcome.delivery));
}

export class Composer {
  constructor({ api, elements, signal }) {
    this.api = api;
    this.el = elements; // form, route, draft, draftLabel, utility, send, sendMessage, outcomes, held, heldList
    this.conversationId = null;
    this.view = null;
    this.selectedKey = null;
    this.parameters = new Map(); // option key -> [values]
    this.sent = new Map(); // commandId -> {item, text, timer}
    this.held = new Map(); // commandId -> {text, holdExpiresAt, cancelling}
    this.texts = new Map(); // commandId -> the text this screen sent (a held answer is listed with it)
    this.retry = null; // {key, json}: a send that failed in transit is retried with the same Idempotency-Key
    this.debounce = null;

    this.el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    }, { signal });
    this.el.draft.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    }, { signal });
    this.el.draft.addEventListener('input', () => this.#schedulePreview(), { signal });
    this.el.utility.addEventListener('change', () => {
      // The mark changes what may be sent: ask at once
      clearTimeout(this.debounce);
      this.refreshPreview();
    }, { signal });
  }

  /** A conversation was opened: its view (summary + replyPreview) from GET /api/v1/conversations/{id}. */
  open(conversationId, view) {
    this.#stopPolls();
    this.conversationId = conversationId;
    this.selectedKey = null;
    this.parameters.clear();
    this.sent.clear();
    this.held.clear();
    this.texts.clear();
    this.retry = null;
    this.el.draft.value = '';
    this.el.utility.checked = false;
    this.el.sendMessage.textContent = '';
    replaceChildren(this.el.outcomes);
    this.setView(view);
    this.#renderHeld();
  }

  close() {
    this.#stopPolls();
    clearTimeout(this.debounce);
    this.conversationId = null;
  }

  setView(view) {
    this.view = view;
    this.#renderRoute();
  }

  /** Re-reads the preview with the draft (SMS segments depend on it) and its utility mark (Direct Send does). */
  async refreshPreview() {
    const conversationId = this.conversationId;
    if (!conversationId) return;
    const query = previewQuery(this.el.draft.value, this.el.utility.checked);
    try {
      const view = await this.api.get(`/api/v1/conversations/${encodeURIComponent(conversationId)}${query}`);
      if (this.conversationId === conversationId) this.setView(view);
    } catch (error) {
      // The last preview stays; sending does not depend on it.
    }
  }

  #schedulePreview() {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.refreshPreview(), PREVIEW_DEBOUNCE_MILLIS);
  }

  #options() {
    return this.view?.replyPreview?.options ?? null;
  }

  #selected() {
    const options = this.#options();
    return options?.find((option) => option.allowed && optionKey(option) === this.selectedKey) ?? null;
  }

  #renderRoute() {
    const preview = this.view?.replyPreview;
    const options = this.#options();
    const route = this.el.route;
    if (!preview) {
      this.selectedKey = null;
      replaceChildren(route, h('p', { class: 'summary' },
        'The channel cannot be previewed right now; the reply follows the tenant’s policy when it is sent.'));
      this.#updateSendLabel();
      return;
    }
    if (!options) {
      this.selectedKey = null;
      replaceChildren(route, h('p', { class: 'summary', dataset: { channel: preview.channel } },
        preview.channel === 'NONE' ? `A reply would not be sent now (${reasonText(preview.reason)}).`
          : `Sends on ${channelName(preview.channel)} (${reasonText(preview.reason)}).`));
      this.#updateSendLabel();
      return;
    }
    const allowed = options.filter((option) => option.allowed);
    const freeForm = allowed.find((option) => option.kind === 'WHATSAPP_FREE_FORM');
    if (freeForm) {
      this.selectedKey = optionKey(freeForm);
      replaceChildren(route, h('p', { class: 'summary', dataset: { kind: freeForm.kind, channel: freeForm.channel } },
        `Sends on WhatsApp · ${optionDetail(freeForm)}`));
      this.#updateSendLabel();
      return;
    }
    if (!allowed.some((option) => optionKey(option) === this.selectedKey)) {
      const chosen = defaultOption(preview, allowed);
      this.selectedKey = chosen ? optionKey(chosen) : null;
    }
    const existing = route.querySelector('fieldset');
    const keys = allowed.map(optionKey).join('|');
    if (existing && existing.dataset.keys === keys) {
      // Same choices (the draft changed): update the details in place, so focus and typed parameters stay.
      for (const option of allowed) {
        const detail = route.querySelector(`[data-detail="${CSS.escape(optionKey(option))}"]`);
        if (detail) detail.textContent = optionDetail(option);
      }
      route.querySelector('.direct-send-note')?.remove();
    } else {
      replaceChildren(route, this.#choices(allowed, preview, keys));
    }
    const note = directSendNote(options);
    if (note) route.append(h('p', { class: 'direct-send-note', dataset: { why: options.find(isDirectSend).why ?? '' } }, note));
    this.#renderParameters();
    this.#updateSendLabel();
  }

  #choices(allowed, preview, keys) {
    const closing = preview.windowState === 'CLOSING' || preview.timeLeftMillis > 0;
    const legend = closing ? 'The window is closing: choose how to answer' : 'The window is closed: choose how to answer';
    if (!allowed.length) {
      return h('p', { class: 'summary error' }, 'No way to answer this conversation now.');
    }
    return h('fieldset', { dataset: { keys } }, h('legend', {}, legend),
      allowed.map((option, index) => {
        const key = optionKey(option);
        const id = `option-${index}`;
        return h('div', { class: 'option-block' },
          h('div', { class: 'option' },
            h('input', {
              type: 'radio', name: 'route', id, value: key, checked: key === this.selectedKey,
              dataset: { kind: option.kind, channel: option.channel },
              'aria-describedby': `${id}-detail`,
              onchange: () => {
                this.selectedKey = key;
                this.#renderParameters();
                this.#updateSendLabel();
              },
            }),
            h('label', { for: id }, optionTitle(option),
              h('span', { class: 'detail', id: `${id}-detail`, dataset: { detail: key } }, optionDetail(option)))),
          option.kind === 'TEMPLATE' ? h('div', { class: 'params', dataset: { paramsFor: key } }) : null);
      }));
  }

  /** One labelled input per template parameter, under the chosen template, with the body as it will read. */
  #renderParameters() {
    for (const block of this.el.route.querySelectorAll('[data-params-for]')) {
      const key = block.dataset.paramsFor;
      if (key !== this.selectedKey) {
        replaceChildren(block);
        continue;
      }
      if (block.childElementCount) continue;
      const option = this.#selected();
      const count = option?.template?.parameterCount ?? 0;
      const values = this.parameters.get(key) ?? Array(count).fill('');
      this.parameters.set(key, values);
      const body = h('p', { class: 'body', 'aria-live': 'polite' }, fillTemplate(option?.template?.body, values));
      const fields = values.map((value, index) => h('label', {},
        `Parameter ${index + 1} ({{${index + 1}}})`,
        h('input', {
          type: 'text', value, required: true, dataset: { param: index + 1 },
          oninput: (event) => {
            values[index] = event.target.value;
            body.textContent = fillTemplate(option?.template?.body, values);
          },
        })));
      replaceChildren(block, fields, option?.template?.body ? body : null);
    }
  }

  #updateSendLabel() {
    const option = this.#selected();
    this.el.send.textContent = sendLabel(option);
    const template = option?.kind === 'TEMPLATE';
    this.el.draft.disabled = template;
    // A template has its own category; Direct Send is for marked answers only (unmarking asks the preview again)
    this.el.utility.disabled = template;
    this.el.draftLabel.textContent = template ? 'Your answer (not sent: the template is)' : 'Your answer';
  }

  async submit() {
    if (!this.conversationId || this.el.send.disabled) return;
    const options = this.#options();
    const option = this.#selected();
    const allowedOptions = options?.filter((o) => o.allowed) ?? [];
    if (options && allowedOptions.length && !option) {
      this.el.sendMessage.textContent = 'Choose how to answer first.';
      return;
    }
    const text = this.el.draft.value.trim();
    const parameters = option?.kind === 'TEMPLATE' ? (this.parameters.get(optionKey(option)) ?? []).map((p) => p.trim()) : [];
    if (option?.kind === 'TEMPLATE' ? parameters.some((p) => !p) : !text) {
      this.el.sendMessage.textContent = option?.kind === 'TEMPLATE' ? 'Fill in every parameter.' : 'Write an answer first.';
      return;
    }
    const body = replyBody(option, text, parameters, this.el.utility.checked);
    const json = JSON.stringify(body);
    const key = this.retry?.json === json ? this.retry.key : crypto.randomUUID();
    const conversationId = this.conversationId;
    this.el.send.disabled = true;
    this.el.sendMessage.textContent = '';
    try {
      const { data } = await this.api.call('POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/replies`,
        { body, headers: { 'Idempotency-Key': key } });
      this.retry = null;
      if (body.text) this.texts.set(data.commandId, body.text);
      if (this.held.has(data.commandId)) this.#renderHeld();
      if (this.conversationId !== conversationId) return;
      this.el.draft.value = '';
      // Each answer is marked on its own: the next one starts unmarked
      this.el.utility.checked = false;
      if (option?.kind === 'TEMPLATE') {
        // Sent: the template's fields start empty again.
        this.parameters.delete(optionKey(option));
        this.el.route.querySelector(`[data-params-for="${CSS.escape(optionKey(option))}"]`)?.replaceChildren();
      }
      this.#renderRoute();
      this.#follow(data.commandId, data.links?.outcome, body.text ? `“${excerpt(body.text)}”` : `Template “${body.template.name}”`);
      announce('Reply accepted, sending');
      this.refreshPreview();
    } catch (error) {
      if (error.status === 0 || error.status >= 500) this.retry = { key, json };
      const field = error.problem?.field ? ` (${error.problem.field})` : '';
      this.el.sendMessage.textContent = `Not sent: ${error.message}${field}`;
    } finally {
      this.el.send.disabled = false;
    }
  }

  /** Shows a reply's outcome on this screen and follows it until it settles. */
  #follow(commandId, outcomeHref, label, status = 'PENDING') {
    const known = this.sent.get(commandId);
    if (known) {
      known.settled = false;
      clearTimeout(known.timer);
      this.#poll(commandId, 0);
      return;
    }
    const item = h('li', { dataset: { commandId, status } });
    const entry = { item, label, timer: null, href: outcomeHref ?? `/api/v1/replies/${encodeURIComponent(commandId)}` };
    this.sent.set(commandId, entry);
    this.#renderOutcome(entry, { commandId, status, final: false });
    this.el.outcomes.prepend(item);
    this.#poll(commandId, 0);
  }

  /** The outcome link, as long as no live event settled the reply (the feed may be reconnecting). */
  #poll(commandId, attempt) {
    const entry = this.sent.get(commandId);
    if (!entry || attempt >= POLL_DELAYS_MILLIS.length) return;
    entry.timer = setTimeout(async () => {
      try {
        this.onOutcome(await this.api.get(entry.href));
      } catch (notYet) {
        // 404 until dispatch reports the first outcome; keep asking
      }
      if (this.sent.has(commandId) && !entry.settled) this.#poll(commandId, attempt + 1);
    }, POLL_DELAYS_MILLIS[attempt]);
  }

  #stopPolls() {
    for (const entry of this.sent.values()) clearTimeout(entry.timer);
  }

  #renderOutcome(entry, outcome) {
    const { ticks, text } = outcomeText(outcome);
    entry.item.dataset.status = outcome.status;
    entry.item.dataset.delivery = outcome.delivery?.state ?? '';
    replaceChildren(entry.item, `${entry.label}: `,
      h('span', { class: 'ticks', dataset: { state: ticks.state }, 'aria-hidden': 'true' }, ticks.ticks), ' ', text);
  }

  /** A reply outcome (live `reply-outcome` event or the outcome link). */
  onOutcome(outcome) {
    if (!outcome?.commandId) return;
    const entry = this.sent.get(outcome.commandId);
    if (entry) {
      const before = `${entry.item.dataset.status}/${entry.item.dataset.delivery}`;
      this.#renderOutcome(entry, outcome);
      entry.settled = settled(outcome);
      if (entry.settled) clearTimeout(entry.timer);
      if (before !== `${outcome.status}/${outcome.delivery?.state ?? ''}`) announce(`Reply ${outcomeText(outcome).text}`);
    }
    this.#trackHeld(outcome.commandId, outcome.status, outcome.step, null, outcome.holdExpiresAt);
  }

  /** A thread entry of this conversation (loaded or live): held answers are read from there too. */
  onThreadItem(item) {
    if (item.direction !== 'OUTBOUND' || !item.commandId) return;
    // A HELD entry is the invitation template that went out; the held answer itself is not in the thread.
    const text = item.step === 'HOLD_INVITATION' ? null : item.text;
    this.#trackHeld(item.commandId, item.status, item.step, text, null);
  }

  #trackHeld(commandId, status, step, text, holdExpiresAt) {
    const known = this.held.get(commandId);
    if (status === 'HELD') {
      this.held.set(commandId, {
        text: known?.text ?? text ?? null,
        holdExpiresAt: holdExpiresAt ?? known?.holdExpiresAt ?? null, cancelling: known?.cancelling ?? false,
      });
    } else if (known && (status === 'CANCELLED' || status === 'EXPIRED' || step === 'HELD_ANSWER')) {
      this.held.delete(commandId);
      if (status === 'CANCELLED') announce('Held answer cancelled');
    } else {
      return;
    }
    this.#renderHeld();
  }

  /** The held answer's text: from the thread, or as this screen sent it (the outcome may come before the 202). */
  #heldText(commandId) {
    return this.texts.get(commandId) ?? this.held.get(commandId)?.text ?? 'an answer';
  }

  #renderHeld() {
    this.el.held.hidden = this.held.size === 0;
    replaceChildren(this.el.heldList, [...this.held.entries()].map(([commandId, held]) => h('li',
      { dataset: { commandId } },
      `“${this.#heldText(commandId)}”`, held.holdExpiresAt ? ` (until ${formatTime(held.holdExpiresAt)})` : '', ' ',
      h('button', {
        type: 'button', class: 'cancel-hold', disabled: held.cancelling,
        'aria-label': `Cancel the held answer “${this.#heldText(commandId)}”`,
        onclick: () => this.cancelHold(commandId),
      }, held.cancelling ? 'Cancelling…' : 'Cancel'))));
  }

  async cancelHold(commandId) {
    const held = this.held.get(commandId);
    if (!held) return;
    held.cancelling = true;
    this.#renderHeld();
    try {
      await this.api.call('DELETE', `/api/v1/replies/${encodeURIComponent(commandId)}/hold`);
      announce('Cancelling the held answer');
      this.#follow(commandId, null, `“${excerpt(this.#heldText(commandId))}”`, 'HELD');
    } catch (error) {
      held.cancelling = false;
      if (error.status === 409) {
        this.held.delete(commandId);
        this.el.sendMessage.textContent = `Not cancelled: the answer is ${String(error.problem?.replyStatus ?? 'no longer held').toLowerCase()}.`;
      } else {
        this.el.sendMessage.textContent = `Not cancelled: ${error.message}`;
      }
      this.#renderHeld();
    }
  }
}
