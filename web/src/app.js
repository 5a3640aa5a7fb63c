// app.js — the workbench shell: login, hash routing between the views, and
// the navigation bar.  Each view lives in its own module under views/.
import { api, loadSession, session } from './api.js';
import { h, toast } from './ui.js';
import { queueView } from './views/queue.js';
import { clueView } from './views/clue.js';
import { casesView, caseView } from './views/cases.js';
import { gangsView, gangView } from './views/gangs.js';
import { statsView } from './views/stats.js';
import { reportsView, auditView } from './views/admin.js';

const view = document.getElementById('view');
let cleanup = null;

const routes = [
  [/^#\/queue$/, () => queueView()],
  [/^#\/clue\/(\d+)$/, (m) => clueView(+m[1])],
  [/^#\/cases$/, () => casesView()],
  [/^#\/case\/(\d+)$/, (m) => caseView(+m[1])],
  [/^#\/gangs$/, () => gangsView()],
  [/^#\/gang\/(\d+)$/, (m) => gangView(+m[1])],
  [/^#\/stats$/, () => statsView()],
  [/^#\/reports$/, () => reportsView()],
  [/^#\/audit$/, () => auditView()],
];

function loginView() {
  document.getElementById('top').hidden = true;
  const user = h('input', { id: 'login-user', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-pass', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'bad-text', id: 'login-error' });
  return h('form', {
    class: 'card narrow login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        Object.assign(session, await api('POST', '/session', { user: user.value, password: pass.value }));
        if (!location.hash || location.hash === '#/login') location.hash = '#/queue';
        route();
      } catch (e) {
        err.textContent = e.message;
      }
    },
  }, h('h1', {}, 'netpatrol'), h('p', { class: 'muted' }, 'Analyst workbench'),
  h('label', {}, 'User', user), h('label', {}, 'Password', pass),
  h('button', { type: 'submit', id: 'login-submit' }, 'Log in'), err,
  h('p', { class: 'muted' }, 'Members of the public: ', h('a', { href: '/report' }, 'report something here'), '.'));
}

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!session.user && !(await loadSession())) {
    view.replaceChildren(loginView());
    return;
  }
  document.getElementById('top').hidden = false;
  document.getElementById('who').textContent = `${session.user} · ${session.role}`;
  document.getElementById('nav-audit').hidden = !session.can.audit;
  const hash = location.hash || '#/queue';
  for (const a of document.querySelectorAll('[data-nav]'))
    a.classList.toggle('active', hash.startsWith('#/' + a.dataset.nav) ||
      (a.dataset.nav === 'queue' && hash.startsWith('#/clue')) ||
      (a.dataset.nav === 'cases' && hash.startsWith('#/case')) ||
      (a.dataset.nav === 'gangs' && hash.startsWith('#/gang')));
  for (const [re, fn] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    try {
      const out = await fn(m);
      view.replaceChildren(out.el);
      cleanup = out.cleanup || null;
      if (out.mounted) out.mounted();
    } catch (e) {
      if (e.status === 401) { session.user = null; return route(); }
      view.replaceChildren(h('div', { class: 'card bad' }, e.message));
    }
    return;
  }
  location.hash = '#/queue';
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('DELETE', '/session'); } catch (e) { toast(e.message, true); }
  Object.assign(session, { user: null, role: null, csrf: null, can: {} });
  location.hash = '#/login';
  route();
});
window.addEventListener('hashchange', route);
route();
