// Building DOM without innerHTML: every text the API returns (a customer's words, names) goes in as a text node.

/**
 * h('p', {class: 'x', dataset: {id: 1}, onclick: fn}, 'text', child, [more]) -> the element.
 * Attributes: class, dataset, on<event> handlers, boolean true/false, hidden; null/undefined/false children skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

export function $(id) {
  return document.getElementById(id);
}

/** Replaces an element's children. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Says something to screen readers through the page's polite live region. */
export function announce(text) {
  const region = $('announcer');
  if (!region) return;
  // A change of text is what a live region reports; clear first so the same sentence twice is read twice.
  region.textContent = '';
  requestAnimationFrame(() => { region.textContent = text; });
}
