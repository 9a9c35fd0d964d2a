// Pure formatting: no DOM, no clock (the caller passes now), so ConsoleScriptsTest checks it in the browser.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Time left in a window as H:MM:SS ("23:59:58", "0:04:05"); "closed" once it is over. */
export function formatCountdown(millisLeft) {
  if (millisLeft === null || millisLeft === undefined || Number.isNaN(millisLeft)) return 'no window';
  if (millisLeft <= 0) return 'closed';
  const total = Math.floor(millisLeft / SECOND);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/**
 * How urgent a window is: "open" (more than an hour), "soon" (within the hour), "closing" (within the last
 * minute: WhatsApp's safety margin, a free-form reply no longer goes out), "closed", or "none" (never opened).
 */
export function windowUrgency(millisLeft) {
  if (millisLeft === null || millisLeft === undefined || Number.isNaN(millisLeft)) return 'none';
  if (millisLeft <= 0) return 'closed';
  if (millisLeft <= MINUTE) return 'closing';
  if (millisLeft <= HOUR) return 'soon';
  return 'open';
}

/** Milliseconds from now to an ISO instant; null without one. */
export function millisUntil(isoInstant, nowMillis) {
  if (!isoInstant) return null;
  const at = Date.parse(isoInstant);
  return Number.isNaN(at) ? null : at - nowMillis;
}

/** The window's line for a screen: "closes in 23:59:58" or "closed". */
export function windowText(isoExpiresAt, nowMillis) {
  const left = millisUntil(isoExpiresAt, nowMillis);
  if (left === null) return 'no window yet';
  return left > 0 ? `window closes in ${formatCountdown(left)}` : 'window closed';
}

/**
 * A cost estimate {currency, amount: "0.0456"} as money ("€0.0456"); the amount is a decimal string from the API,
 * shown with the digits it has (at least two). Empty for none.
 */
export function formatCost(cost, locale = undefined) {
  if (!cost || cost.amount === undefined || cost.amount === null) return '';
  const decimals = (String(cost.amount).split('.')[1] ?? '').length;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency', currency: cost.currency,
      minimumFractionDigits: Math.max(2, Math.min(decimals, 6)), maximumFractionDigits: 6,
    }).format(Number(cost.amount));
  } catch (unknownCurrency) {
    return `${cost.amount} ${cost.currency}`;
  }
}

/** File sizes for a download button: "980 B", "12 KB", "1.4 MB". */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A time of day, or date and time when it is not today. */
export function formatTime(isoInstant, nowMillis = Date.now(), locale = undefined) {
  if (!isoInstant) return '';
  const at = new Date(isoInstant);
  const sameDay = at.toDateString() === new Date(nowMillis).toDateString();
  return sameDay
    ? at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

// Glyphs every system font has (no emoji: a headless or minimal system shows those as empty boxes).
const TICKS = {
  PENDING: { ticks: '…', label: 'pending' },
  ACCEPTED: { ticks: '…', label: 'accepted by the provider' },
  QUEUED: { ticks: '…', label: 'queued at the provider' },
  SENT: { ticks: '✓', label: 'sent' },
  DELIVERED: { ticks: '✓✓', label: 'delivered' },
  READ: { ticks: '✓✓', label: 'read' },
  FAILED: { ticks: '✗', label: 'failed' },
  UNDELIVERED: { ticks: '✗', label: 'not delivered' },
  REJECTED: { ticks: '✗', label: 'not sent' },
  HELD: { ticks: '‖', label: 'held until the customer writes back' },
  EXPIRED: { ticks: '–', label: 'expired without being sent' },
  CANCELLED: { ticks: '–', label: 'cancelled' },
};

/**
 * The delivery ticks of an outbound message, WhatsApp style: sent ✓, delivered ✓✓, read ✓✓ (shown highlighted).
 * The delivery lifecycle wins over the command's status when the provider reported one.
 * @returns {{state: string, ticks: string, label: string}}
 */
export function deliveryTicks(status, delivery) {
  const known = delivery?.state && delivery.state !== 'UNKNOWN' ? delivery.state : null;
  const state = known ?? status ?? 'PENDING';
  return { state, ...(TICKS[state] ?? { ticks: '', label: String(state).toLowerCase() }) };
}

/** Whether the provider reported the message failed (WhatsApp "failed", Twilio "undelivered" or "failed"). */
export function deliveryFailed(delivery) {
  return delivery?.state === 'FAILED' || delivery?.state === 'UNDELIVERED';
}

/** The provider's failure, e.g. "131047 Re-engagement message"; empty when there is none. */
export function failureText(delivery) {
  if (!delivery || (delivery.errorCode === undefined && !delivery.errorTitle)) return '';
  return [delivery.errorCode, delivery.errorTitle].filter((part) => part !== undefined && part !== null).join(' ');
}

const CHANNELS = {
  WHATSAPP: 'WhatsApp', SMS: 'SMS', WHATSAPP_TEMPLATE: 'WhatsApp template', WHATSAPP_DIRECT_SEND: 'WhatsApp · Direct Send',
  NONE: 'not sent',
};

export function channelName(channel) {
  return CHANNELS[channel] ?? (channel ? String(channel) : '');
}

const STEPS = { REPLY: 'reply', HOLD_INVITATION: 'invitation to come back', HELD_ANSWER: 'held answer',
  FAILOVER: 'fallback after a failure' };

export function stepName(step) {
  return STEPS[step] ?? (step ? String(step).toLowerCase() : '');
}

/**
 * A reply parked while its provider is unavailable (PENDING PROVIDER_UNAVAILABLE_WAITING): "waiting for WhatsApp ·
 * gives up at 14:05" (then dispatch fails it over or ends it failed); empty for any other outcome.
 */
export function waitingText(outcome, nowMillis = Date.now()) {
  if (outcome?.status !== 'PENDING' || !outcome.waitingFor) return '';
  const channel = outcome.waitingFor === 'SMS' ? 'SMS' : 'WhatsApp';
  return outcome.validUntil ? `waiting for ${channel} · gives up at ${formatTime(outcome.validUntil, nowMillis)}`
    : `waiting for ${channel}`;
}

/** OutcomeReason symbols as words: WINDOW_CLOSED_SMS_FALLBACK -> "window closed sms fallback". */
export function reasonText(reason) {
  return reason ? String(reason).toLowerCase().replaceAll('_', ' ') : '';
}

/**
 * Why dispatch would not send the answer through Direct Send now, in words (the preview's why of that option):
 * "only for an answer marked utility", "not enabled for this business number", ... Read by what the code says, so
 * NOT_UTILITY and DIRECT_SEND_NOT_UTILITY read the same; an unknown one as reasonText.
 */
export function directSendWhy(why) {
  const code = String(why ?? '').toUpperCase();
  if (code.includes('UTILITY')) return 'only for an answer marked utility';
  if (code.includes('NOT_ENABLED') || code.includes('DISABLED')) return 'not enabled for this business number';
  if (code.includes('BLOCKED') || code.includes('REFUSED')) return 'refused by WhatsApp for this business number for now';
  if (code === 'WINDOW_OPEN') return 'the window is open: a normal WhatsApp message goes';
  return reasonText(why);
}
