// clue.js — one clue: the original text with evidence highlighted and
// indicators masked (revealed only for roles that may, and audited), hits,
// indicators with their link counts, linked clues, triage and dispositions.
import { api, session } from '../api.js';
import { h, toast, when, sev, pill, actionForm } from '../ui.js';

export async function clueView(id, reveal = false) {
  const c = await api('GET', `/clues/${id}${reveal ? '?reveal=1' : ''}`);
  const text = h('div', { class: 'post', id: 'post-text' }, c.segments.map((s) => {
    if (s.indicator) return h('span', { class: 'ind' + (s.masked ? ' masked' : ''), title: s.indicator }, s.text);
    if (s.rules) return h('mark', { class: 'ev', title: s.rules.join(', ') }, s.text);
    return s.text;
  }));
  const rerender = async (rev) => {
    const out = await clueView(id, rev);
    document.getElementById('view').replaceChildren(out.el);
  };
  const act = async (fn, msg) => {
    try { await fn(); toast(msg); rerender(reveal); } catch (e) { toast(e.message, true); }
  };
  const triage = session.can.triage ? h('div', { class: 'row' },
    h('button', { 'data-test': 'confirm', onclick: () => act(() => api('POST', `/clues/${id}/status`, { status: 'confirmed' }), 'Confirmed') }, 'Confirm'),
    h('button', { class: 'ghost', onclick: () => act(() => api('POST', `/clues/${id}/status`, { status: 'escalated' }), 'Escalated') }, 'Escalate'),
    h('button', { 'data-test': 'promote', onclick: async () => {
      const title = window.prompt('Case title', `Case: ${c.category || 'clue ' + id}`);
      if (title === null) return;
      try { const r = await api('POST', '/cases', { title, clue_ids: [id] }); location.hash = '#/case/' + r.id; } catch (e) { toast(e.message, true); }
    } }, 'Promote to case')) : null;

  const el = h('section', {},
    h('div', { class: 'row spread' },
      h('h2', {}, `Clue #${c.id} `, pill(c.status)),
      h('div', { class: 'row' },
        session.can.reveal ? h('button', { class: 'ghost', 'data-test': 'reveal', onclick: () => rerender(!reveal) },
          reveal ? 'Mask personal data' : 'Reveal personal data (audited)') : h('span', { class: 'muted' }, 'Personal data masked for your role'))),
    h('div', { class: 'meta' }, sev(c.severity), ` ${c.category || ''} · score ${c.score} · ${c.action} · post ${c.ext_id} · ${c.author || 'unknown author'}${c.source ? ' @ ' + c.source : ''} · ${when(c.time)}`,
      c.gang_id ? h('a', { href: '#/gang/' + c.gang_id }, ` · gang ${c.gang_id}`) : '',
      c.case_id ? h('a', { href: '#/case/' + c.case_id }, ` · case ${c.case_id}`) : ''),
    text, triage,
    h('div', { class: 'cols' },
      h('div', { class: 'card' }, h('h3', {}, 'Why it was flagged'),
        h('ul', {}, c.hits.map((x) => h('li', {}, h('strong', {}, x.rule), ` — ${x.category}, ${x.severity}, `,
          x.matches.map((m) => h('code', {}, `${m.s}: ${m.text}`)))))),
      h('div', { class: 'card' }, h('h3', {}, 'Indicators'),
        c.indicators.length ? h('table', { class: 'grid small' }, h('tbody', {}, c.indicators.map((i) => h('tr', {},
          h('td', {}, i.type), h('td', {}, h('code', {}, i.value)),
          h('td', {}, i.clues ? `${i.clues} clue(s)` : ''), h('td', {}, i.common ? h('span', { class: 'pill st-dismissed', title: 'seen too often to link (e.g. a hotline)' }, 'common') : ''))))) : h('p', { class: 'muted' }, 'none'),
        c.links.length ? h('p', {}, 'Linked to ', c.links.map((l) => h('a', { href: '#/clue/' + l.clue_id }, `#${l.clue_id} (${l.type}) `))) : null)),
    session.can.triage ? h('div', { class: 'card' }, h('h3', {}, 'Disposition'),
      actionForm((type, note) => act(() => api('POST', `/clues/${id}/actions`, { type, note }), 'Action recorded'))) : null,
    c.actions.length ? h('div', { class: 'card' }, h('h3', {}, 'History'),
      h('ul', {}, c.actions.map((a) => h('li', {}, `${when(a.created_at)} ${a.actor}: ${a.type}${a.note ? ' — ' + a.note : ''}`)))) : null);
  return { el };
}
