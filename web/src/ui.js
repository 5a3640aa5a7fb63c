// ui.js — tiny DOM helpers: element builder (text only, never innerHTML with
// data), toasts, dates, severity and status labels.
export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) el.append(k instanceof Node ? k : String(k));
  return el;
}

export function toast(msg, bad = false) {
  const t = document.getElementById('toast');
  t.textContent = msg;
  t.className = bad ? 'show bad' : 'show';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.className = ''), 3500);
}

export const when = (s) => (s ? new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ') : '—');
export const SEV = ['—', 'low', 'medium', 'high', 'critical'];
export const sev = (n) => h('span', { class: 'sev sev' + n }, SEV[n] || '—');
export const pill = (s) => h('span', { class: 'pill st-' + s }, s);
export const ACTIONS = {
  takedown: 'Take down',
  ban_account: 'Ban account',
  publish_debunk: 'Publish debunk',
  refer_police: 'Refer to police',
  dismiss: 'Dismiss (false positive)',
};

export function actionForm(onSubmit) {
  const sel = h('select', { name: 'type', 'data-test': 'action-type' },
    Object.entries(ACTIONS).map(([k, v]) => h('option', { value: k }, v)));
  const note = h('input', { name: 'note', placeholder: 'note (optional)', 'data-test': 'action-note' });
  return h('form', {
    class: 'row',
    onsubmit: (ev) => { ev.preventDefault(); onSubmit(sel.value, note.value); },
  }, sel, note, h('button', { type: 'submit', 'data-test': 'action-submit' }, 'Record action'));
}
