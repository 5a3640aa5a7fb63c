// admin.js — public reports triage (staff) and the audit log with its chain
// check (auditors and admins).
import { api, session } from '../api.js';
import { h, toast, when, pill } from '../ui.js';

export async function reportsView() {
  const d = await api('GET', '/reports?limit=200');
  const set = async (id, status) => {
    try { await api('POST', `/reports/${id}/status`, { status }); toast('Updated'); window.dispatchEvent(new HashChangeEvent('hashchange')); }
    catch (e) { toast(e.message, true); }
  };
  return { el: h('section', {}, h('h2', {}, 'Public reports'),
    h('p', { class: 'muted' }, 'Form for the public: ', h('a', { href: '/report' }, '/report')),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['Receipt', 'Category', 'Report', 'Contact', 'Status', 'Received'].map((t) => h('th', {}, t)))),
      h('tbody', {}, d.reports.map((r) => h('tr', {}, h('td', {}, h('code', {}, r.receipt)), h('td', {}, r.category || ''),
        h('td', { class: 'snippet' }, r.body, r.url ? h('div', { class: 'muted' }, r.url) : ''), h('td', {}, r.contact || ''),
        h('td', {}, session.can.triage ? h('select', { onchange: (ev) => set(r.id, ev.target.value) },
          ['received', 'reviewing', 'actioned', 'rejected'].map((s) => h('option', { value: s, selected: s === r.status }, s))) : pill(r.status)),
        h('td', { class: 'muted' }, when(r.created_at))))))) };
}

export async function auditView() {
  const [log, v] = await Promise.all([api('GET', '/audit?limit=200'), api('GET', '/audit/verify')]);
  return { el: h('section', {}, h('h2', {}, 'Audit log'),
    h('div', { class: 'card ' + (v.ok ? 'ok' : 'bad'), id: 'audit-verify' },
      v.ok ? `Chain intact: ${v.rows} rows, head ${v.head.slice(0, 16)}…` : `Chain BROKEN at row ${v.bad_id}: ${v.problem}`),
    h('table', { class: 'grid small' }, h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'What', 'Target', 'Detail'].map((t) => h('th', {}, t)))),
      h('tbody', {}, log.entries.map((e) => h('tr', {}, h('td', {}, e.id), h('td', { class: 'muted' }, when(e.ts)), h('td', {}, e.actor),
        h('td', {}, e.action), h('td', {}, e.target), h('td', {}, h('code', {}, e.detail))))))) };
}
