// stats.js — the statistics dashboard (the figures of a year-end review):
// totals, clues by category and period, dispositions by type, and each
// rule's false-positive rate from analysts' dismissals.  Charts: chart.js.
import { api } from '../api.js';
import { h } from '../ui.js';

export async function statsView() {
  const period = statsView.period || 'month';
  const s = await api('GET', '/stats?period=' + period);
  const t = s.totals[0] || {};
  const card = (label, v, id) => h('div', { class: 'stat', id }, h('div', { class: 'num' }, v ?? 0), h('div', { class: 'muted' }, label));
  const canvas = (id) => h('canvas', { id, height: 220 });
  const el = h('section', {},
    h('div', { class: 'row spread' }, h('h2', {}, 'Statistics'),
      h('select', { 'data-test': 'period', onchange: (ev) => { statsView.period = ev.target.value; window.dispatchEvent(new HashChangeEvent('hashchange')); } },
        ['day', 'week', 'month', 'year'].map((p) => h('option', { value: p, selected: p === period }, 'by ' + p)))),
    h('div', { class: 'stats' }, card('posts screened', t.posts, 'stat-posts'), card('clues', t.clues, 'stat-clues'),
      card('cases', t.cases, 'stat-cases'), card('actions', t.actions, 'stat-actions'), card('gangs', t.gangs, 'stat-gangs'),
      card('public reports', t.reports, 'stat-reports')),
    h('div', { class: 'cols' }, h('div', { class: 'card' }, h('h3', {}, 'Clues by category'), canvas('ch-cat')),
      h('div', { class: 'card' }, h('h3', {}, 'Dispositions'), canvas('ch-act'))),
    h('div', { class: 'card' }, h('h3', {}, `Per ${period}`), canvas('ch-period')),
    h('div', { class: 'card' }, h('h3', {}, 'Rules: hits and false-positive rate'),
      h('table', { class: 'grid small', id: 'rules-table' }, h('thead', {}, h('tr', {}, ['Rule', 'Category', 'Clues', 'Dismissed', 'FP rate'].map((x) => h('th', {}, x)))),
        h('tbody', {}, s.rules.map((r) => h('tr', {}, h('td', {}, r.rule), h('td', {}, r.category), h('td', {}, r.clues), h('td', {}, r.dismissed),
          h('td', { class: r.fp_rate > 0.2 ? 'bad-text' : '' }, (100 * r.fp_rate).toFixed(1) + '%')))))));
  const charts = [];
  const mounted = () => {
    if (!window.Chart) return;
    const C = window.Chart;
    const opts = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } };
    charts.push(new C(el.querySelector('#ch-cat'), { type: 'bar', options: { ...opts, indexAxis: 'y', plugins: { legend: { display: false } } },
      data: { labels: s.by_category.map((x) => x.category), datasets: [{ data: s.by_category.map((x) => x.clues), backgroundColor: '#5b8def' }] } }));
    charts.push(new C(el.querySelector('#ch-act'), { type: 'doughnut', options: opts,
      data: { labels: s.by_action.map((x) => x.type), datasets: [{ data: s.by_action.map((x) => x.actions), backgroundColor: ['#e5533d', '#f0a030', '#5b8def', '#2d3e50', '#8a94a6'] }] } }));
    charts.push(new C(el.querySelector('#ch-period'), { type: 'line', options: opts,
      data: { labels: s.by_period.map((x) => x.period), datasets: [
        { label: 'clues', data: s.by_period.map((x) => x.clues), borderColor: '#5b8def' },
        { label: 'actions', data: s.by_period.map((x) => x.actions), borderColor: '#e5533d' },
        { label: 'reports', data: s.by_period.map((x) => x.reports), borderColor: '#2aa876' }] } }));
  };
  return { el, mounted, cleanup: () => charts.forEach((c) => c.destroy()) };
}
