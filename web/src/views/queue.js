// queue.js — the clue queue with keyboard triage:
//   j/k or ↓/↑ move · Enter/o open · c confirm · e escalate · d dismiss as
//   false positive · x select · p promote selected (or current) to a case · ? help
import { api, session } from '../api.js';
import { h, toast, when, sev, pill } from '../ui.js';

const state = { status: 'new', category: '', severity: '', offset: 0, cursor: 0, picked: new Set() };

export async function queueView() {
  const q = new URLSearchParams({ limit: 50, offset: state.offset });
  if (state.status) q.set('status', state.status);
  if (state.category) q.set('category', state.category);
  if (state.severity) q.set('severity', state.severity);
  const data = await api('GET', '/clues?' + q);
  const clues = data.clues;
  if (state.cursor >= clues.length) state.cursor = Math.max(0, clues.length - 1);

  const rows = clues.map((c, i) => h('tr', {
    'data-id': c.id, class: i === state.cursor ? 'cursor' : '',
    ondblclick: () => (location.hash = '#/clue/' + c.id),
  },
  h('td', {}, h('input', { type: 'checkbox', checked: state.picked.has(c.id), tabindex: -1,
    onchange: (ev) => { ev.target.checked ? state.picked.add(c.id) : state.picked.delete(c.id); } })),
  h('td', {}, h('a', { href: '#/clue/' + c.id }, '#' + c.id)),
  h('td', {}, sev(c.severity)), h('td', {}, c.category || '—'),
  h('td', { class: 'snippet' }, c.snippet),
  h('td', {}, c.gang_id ? h('a', { href: '#/gang/' + c.gang_id }, 'gang ' + c.gang_id) : ''),
  h('td', {}, pill(c.status)), h('td', { class: 'muted' }, when(c.time))));

  const filter = (name, options) => h('select', {
    'data-test': 'filter-' + name,
    onchange: (ev) => { state[name] = ev.target.value; state.offset = 0; state.cursor = 0; location.hash = '#/queue'; window.dispatchEvent(new HashChangeEvent('hashchange')); },
  }, options.map(([v, l]) => h('option', { value: v, selected: state[name] === v }, l)));
  const cat = h('input', { placeholder: 'category (e.g. fraud)', value: state.category, 'data-test': 'filter-category',
    onchange: (ev) => { state.category = ev.target.value.trim(); state.offset = 0; window.dispatchEvent(new HashChangeEvent('hashchange')); } });

  const table = h('table', { class: 'grid', id: 'queue' },
    h('thead', {}, h('tr', {}, ['', 'Clue', 'Severity', 'Category', 'Text', 'Gang', 'Status', 'Seen'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'Nothing to triage. 🎉'))));
  const pager = h('div', { class: 'row' },
    h('button', { class: 'ghost', disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - 50); window.dispatchEvent(new HashChangeEvent('hashchange')); } }, '← Newer'),
    h('span', { class: 'muted' }, `${data.total} clue(s) · ${state.offset + 1}–${state.offset + clues.length}`),
    h('button', { class: 'ghost', disabled: state.offset + clues.length >= data.total, onclick: () => { state.offset += 50; window.dispatchEvent(new HashChangeEvent('hashchange')); } }, 'Older →'));
  const help = h('p', { class: 'keys muted' },
    'Keys: ', ...[['j/k', 'move'], ['o', 'open'], ['c', 'confirm'], ['e', 'escalate'], ['d', 'dismiss (false positive)'], ['x', 'select'], ['p', 'promote to case']]
      .flatMap(([k, t]) => [h('kbd', {}, k), ' ' + t + '  ']));

  const el = h('section', {},
    h('div', { class: 'row spread' }, h('h2', {}, 'Clue queue'),
      h('div', { class: 'row' },
        filter('status', [['new', 'New'], ['confirmed', 'Confirmed'], ['escalated', 'Escalated'], ['in_case', 'In a case'], ['dismissed', 'Dismissed'], ['', 'Any status']]),
        filter('severity', [['', 'Any severity'], ['medium', '≥ medium'], ['high', '≥ high'], ['critical', 'critical']]), cat)),
    help, table, pager);

  const move = (d) => {
    const trs = table.querySelectorAll('tbody tr[data-id]');
    if (!trs.length) return;
    state.cursor = Math.min(trs.length - 1, Math.max(0, state.cursor + d));
    trs.forEach((tr, i) => tr.classList.toggle('cursor', i === state.cursor));
    trs[state.cursor].scrollIntoView({ block: 'nearest' });
  };
  const current = () => clues[state.cursor];
  const refresh = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  const triage = async (status) => {
    const c = current();
    if (!c || !session.can.triage) return;
    try {
      if (status === 'dismissed') await api('POST', `/clues/${c.id}/actions`, { type: 'dismiss', note: 'dismissed from the queue' });
      else await api('POST', `/clues/${c.id}/status`, { status });
      toast(`Clue #${c.id} → ${status}`);
      refresh();
    } catch (e) { toast(e.message, true); }
  };
  const promote = async () => {
    const ids = state.picked.size ? [...state.picked] : current() ? [current().id] : [];
    if (!ids.length) return;
    const title = window.prompt(`Case title for ${ids.length} clue(s)`, `Case: ${current() ? current().category : ''}`);
    if (title === null) return;
    try {
      const r = await api('POST', '/cases', { title, clue_ids: ids });
      state.picked.clear();
      toast(`Case #${r.id} created`);
      location.hash = '#/case/' + r.id;
    } catch (e) { toast(e.message, true); }
  };
  const onKey = (ev) => {
    if (ev.target.matches('input, select, textarea') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const k = ev.key;
    if (k === 'j' || k === 'ArrowDown') move(1);
    else if (k === 'k' || k === 'ArrowUp') move(-1);
    else if ((k === 'o' || k === 'Enter') && current()) location.hash = '#/clue/' + current().id;
    else if (k === 'c') triage('confirmed');
    else if (k === 'e') triage('escalated');
    else if (k === 'd') triage('dismissed');
    else if (k === 'x' && current()) {
      const id = current().id;
      state.picked.has(id) ? state.picked.delete(id) : state.picked.add(id);
      table.querySelectorAll('tbody tr[data-id]')[state.cursor].querySelector('input').checked = state.picked.has(id);
    } else if (k === 'p') promote();
    else return;
    ev.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return { el, cleanup: () => document.removeEventListener('keydown', onKey) };
}
