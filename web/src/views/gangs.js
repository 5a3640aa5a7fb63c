// gangs.js — gangs (clues linked by a shared phone, card, URL, account…) as
// a list and as a graph drawn with cytoscape: clue nodes by severity,
// indicator nodes as diamonds (common values flagged).
import { api, session } from '../api.js';
import { h, when } from '../ui.js';

export async function gangsView() {
  const d = await api('GET', '/gangs?limit=100');
  return { el: h('section', {}, h('h2', {}, 'Gangs'),
    h('p', { class: 'muted' }, 'Clues that share an indicator are linked as they arrive; each connected group is a gang.'),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['Gang', 'Clues', 'Indicators', 'Accounts', 'Categories', 'First seen', 'Last seen'].map((t) => h('th', {}, t)))),
      h('tbody', {}, d.gangs.length ? d.gangs.map((g) => h('tr', {},
        h('td', {}, h('a', { href: '#/gang/' + g.id }, '#' + g.id)), h('td', {}, g.size), h('td', {}, g.indicators), h('td', {}, g.accounts),
        h('td', {}, g.categories || ''), h('td', { class: 'muted' }, when(g.first_seen)), h('td', { class: 'muted' }, when(g.last_seen))))
        : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No linked clues yet.'))))) };
}

const SEV_COLOR = ['#8a94a6', '#5b8def', '#f0a030', '#e5533d', '#a01f5a'];

export async function gangView(id) {
  const g = await api('GET', `/gangs/${id}`);
  const box = h('div', { id: 'graph', class: 'graph' });
  const el = h('section', {},
    h('h2', {}, `Gang #${g.id}`),
    h('p', { class: 'muted' }, `${g.size} clues · ${when(g.first_seen)} → ${when(g.last_seen)} · click a clue to open it`,
      session.can.reveal ? '' : ' · indicator values masked for your role'),
    box);
  let cy = null;
  const mounted = () => {
    if (!window.cytoscape) { box.textContent = 'graph library not loaded'; return; }
    cy = window.cytoscape({
      container: box,
      elements: [
        ...g.nodes.map((n) => ({ data: { ...n, label: n.kind === 'clue' ? `#${n.clue_id} ${n.category || ''}` : `${n.type}: ${n.value}` } })),
        ...g.edges.map((e, i) => ({ data: { id: 'e' + i, source: e.source, target: e.target } })),
      ],
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 9, color: '#223', 'text-valign': 'bottom', 'text-margin-y': 3 } },
        { selector: 'node[kind = "clue"]', style: { 'background-color': (n) => SEV_COLOR[n.data('severity')] || '#888', width: 18, height: 18 } },
        { selector: 'node[kind = "indicator"]', style: { shape: 'diamond', 'background-color': '#2d3e50', width: 14, height: 14 } },
        { selector: 'node[?common]', style: { 'background-color': '#bbb' } },
        { selector: 'edge', style: { width: 1, 'line-color': '#c5ccd6' } },
      ],
      layout: { name: g.nodes.length > 300 ? 'grid' : 'cose', animate: false },
    });
    cy.on('tap', 'node[kind = "clue"]', (ev) => { location.hash = '#/clue/' + ev.target.data('clue_id'); });
  };
  return { el, mounted, cleanup: () => cy && cy.destroy() };
}
