// cases.js — the case list and the case page: its clues, notes and
// dispositions, and closing a case.
import { api, session } from '../api.js';
import { h, toast, when, sev, pill, actionForm, ACTIONS } from '../ui.js';

export async function casesView() {
  const d = await api('GET', '/cases?limit=200');
  return { el: h('section', {}, h('h2', {}, 'Cases'),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['Case', 'Title', 'Status', 'Clues', 'Actions', 'Updated'].map((t) => h('th', {}, t)))),
      h('tbody', {}, d.cases.length ? d.cases.map((k) => h('tr', {},
        h('td', {}, h('a', { href: '#/case/' + k.id }, '#' + k.id)), h('td', {}, k.title), h('td', {}, pill(k.status)),
        h('td', {}, k.clues), h('td', {}, k.actions), h('td', { class: 'muted' }, when(k.updated_at))))
        : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No cases yet: promote clues from the queue with p.'))))) };
}

export async function caseView(id) {
  const k = await api('GET', `/cases/${id}`);
  const redraw = async () => document.getElementById('view').replaceChildren((await caseView(id)).el);
  const act = async (fn, msg) => { try { await fn(); toast(msg); redraw(); } catch (e) { toast(e.message, true); } };
  const note = h('textarea', { rows: 2, placeholder: 'Add a note', 'data-test': 'note' });
  const el = h('section', {},
    h('div', { class: 'row spread' }, h('h2', { id: 'case-title' }, `Case #${k.id}: ${k.title} `, pill(k.status)),
      session.can.triage ? h('button', { class: 'ghost', onclick: () => act(() => api('POST', `/cases/${id}/status`, { status: k.status === 'open' ? 'closed' : 'open' }), 'Updated') },
        k.status === 'open' ? 'Close case' : 'Reopen case') : null),
    h('p', { class: 'muted' }, `opened by ${k.created_by} · ${when(k.created_at)}`),
    h('div', { class: 'card' }, h('h3', {}, `Clues (${k.clues.length})`),
      h('table', { class: 'grid small' }, h('tbody', {}, k.clues.map((c) => h('tr', {},
        h('td', {}, h('a', { href: '#/clue/' + c.id }, '#' + c.id)), h('td', {}, sev(c.severity)), h('td', {}, c.category),
        h('td', {}, c.author || ''), h('td', {}, c.gang_id ? h('a', { href: '#/gang/' + c.gang_id }, 'gang ' + c.gang_id) : ''), h('td', {}, pill(c.status))))))),
    h('div', { class: 'cols' },
      h('div', { class: 'card' }, h('h3', {}, 'Dispositions'),
        h('ul', { id: 'case-actions' }, k.actions.map((a) => h('li', {}, `${when(a.created_at)} ${a.actor}: ${ACTIONS[a.type] || a.type}${a.note ? ' — ' + a.note : ''}`))),
        session.can.triage ? actionForm((type, n) => act(() => api('POST', `/cases/${id}/actions`, { type, note: n }), 'Action recorded')) : null),
      h('div', { class: 'card' }, h('h3', {}, 'Notes'),
        h('ul', {}, k.notes.map((n) => h('li', {}, h('span', { class: 'muted' }, `${when(n.created_at)} ${n.author}: `), n.body))),
        session.can.triage ? h('form', { onsubmit: (ev) => { ev.preventDefault(); act(() => api('POST', `/cases/${id}/notes`, { body: note.value }), 'Note added'); } },
          note, h('button', { type: 'submit' }, 'Add note')) : null)));
  return { el };
}
