// workbench.mjs — drives the workbench in real headless Chromium (Debian
// chromium + playwright-core): public report with receipt, login, keyboard
// triage, clue page with highlighted evidence, promote to a case, record a
// disposition, see it in the statistics, the gang graph and the audit chain.
// Env: NP_URL, NP_USER, NP_PASS, NP_SHOTS.  Prints "N passed, N failed".
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.NP_URL || 'http://127.0.0.1:8080';
const shots = process.env.NP_SHOTS || 'screenshots';
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'np-chromium-'));
let passed = 0, failed = 0;

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
  }
}
const expect = (cond, msg) => { if (!cond) throw new Error(msg); };

const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
});
const page = browser.pages()[0] || await browser.newPage();
page.setDefaultTimeout(10000);
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('dialog', (d) => d.accept(d.type() === 'prompt' ? 'Loan deposit ring (browser test)' : undefined));

try {
  await step('public report gets a receipt', async () => {
    await page.goto(base + '/report');
    await page.fill('#r-body', 'Someone on Weibo asked me for a 保证金 before a loan.');
    await page.click('#r-submit');
    const receipt = (await page.textContent('#receipt-number')).trim();
    expect(/^R\d{8}-[A-Z0-9]{6}$/.test(receipt), 'bad receipt ' + receipt);
    await page.click('#status-form button');
    await page.waitForFunction(() => document.querySelector('#status-out').textContent.includes('received'));
    await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
  });

  await step('log in', async () => {
    await page.goto(base + '/');
    await page.fill('#login-user', process.env.NP_USER || 'admin');
    await page.fill('#login-pass', process.env.NP_PASS || 'password');
    await page.click('#login-submit');
    await page.waitForSelector('#queue tbody tr[data-id]');
    await page.screenshot({ path: join(shots, 'queue.png'), fullPage: true });
  });

  let triaged = null;
  await step('keyboard triage confirms a clue', async () => {
    triaged = await page.getAttribute('#queue tbody tr.cursor', 'data-id');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('c');
    await page.waitForFunction((id) => !document.querySelector(`#queue tbody tr[data-id="${id}"]`), triaged);
    const r = await page.evaluate(async (id) => (await fetch('/api/v1/clues/' + id)).json(), triaged);
    expect(r.status === 'confirmed', 'status is ' + r.status);
  });

  let caseUrl = null;
  await step('clue page highlights evidence and masks indicators', async () => {
    await page.goto(base + '/#/clue/' + triaged);
    await page.waitForSelector('#post-text');
    expect(await page.locator('#post-text mark.ev').count() > 0, 'no highlighted evidence');
    await page.screenshot({ path: join(shots, 'clue.png'), fullPage: true });
  });

  await step('promote the clue to a case', async () => {
    await page.click('[data-test=promote]');
    await page.waitForSelector('#case-title');
    caseUrl = page.url();
    expect(/#\/case\/\d+$/.test(caseUrl), 'not on a case page: ' + caseUrl);
  });

  await step('record a disposition on the case', async () => {
    await page.selectOption('[data-test=action-type]', 'takedown');
    await page.fill('[data-test=action-note]', 'posts removed by the platform');
    await page.click('[data-test=action-submit]');
    await page.waitForFunction(() => document.querySelector('#case-actions').textContent.includes('Take down'));
    await page.fill('[data-test=note]', 'same phone as two other ads');
    await page.click('text=Add note');
    await page.waitForSelector('text=same phone as two other ads');
    await page.screenshot({ path: join(shots, 'case.png'), fullPage: true });
  });

  await step('the action shows in the statistics', async () => {
    await page.goto(base + '/#/stats');
    await page.waitForSelector('#stat-actions');
    const n = +(await page.textContent('#stat-actions .num'));
    expect(n >= 1, 'actions = ' + n);
    expect(await page.locator('#rules-table tbody tr').count() > 0, 'no rules rows');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, 'stats.png'), fullPage: true });
  });

  await step('gang graph renders', async () => {
    await page.goto(base + '/#/gangs');
    await page.waitForSelector('table.grid');
    const link = page.locator('table.grid tbody a[href^="#/gang/"]').first();
    expect(await link.count() > 0, 'no gangs in the demo data');
    await link.click();
    await page.waitForSelector('#graph canvas');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(shots, 'gang.png'), fullPage: true });
  });

  await step('audit chain is intact and shows the actions', async () => {
    await page.goto(base + '/#/audit');
    await page.waitForSelector('#audit-verify');
    expect((await page.textContent('#audit-verify')).includes('Chain intact'), 'chain not intact');
    expect(await page.locator('td', { hasText: 'case.create' }).count() > 0, 'no case.create row');
    await page.screenshot({ path: join(shots, 'audit.png'), fullPage: true });
  });

  await step('no script errors', async () => { expect(errors.length === 0, errors.join('; ')); });
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
