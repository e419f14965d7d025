// The officials' desk (issue: decisions, preview, publication safeguards,
// notice board, audit) driven in Chromium as a results officer would, at a
// laptop (1280 px) and on a tablet. Screenshots go to docs/img for docs/web.md.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Screenshots for the user documentation (docs/web.md), overwritten on every run. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'docs', 'img', `${name}.png`) });
}

export async function openDesk(b: Browser, server: TestServer, width = 1280, height = 900): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await b.newContext({ viewport: { width, height }, timezoneId: 'America/Detroit', locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/hq.html`);
  await page.selectOption('#rally', server.rallyId);
  await page.fill('#token', server.officerToken);
  await page.click('#go');
  await page.waitForSelector('#desk');
  return { page, errors, close: () => context.close() };
}

interface Row { car: number; position: number | null; classPosition: number | null; totalMs: number }

describe('the desk: a decision previewed, then saved', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('a 10 s penalty on car 2 (P2, 0.8 s ahead of car 7) is previewed as car 7 moving ahead, overall and in L4WD; saved, the classification is the previewed one', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.selectOption('#decision-kind', 'penalty');
      await p.getByLabel('Car', { exact: true }).fill('2');
      await p.getByLabel('Penalty', { exact: true }).fill('10');
      await p.getByLabel('Rule or article').fill('ARA GCR 6 (stewards)');
      // Save is not offered before the preview.
      assert.equal(await p.getByRole('button', { name: 'Save decision' }).isDisabled(), true);
      await p.getByLabel('Reason').fill('speeding in the service park, stewards\' decision 1');
      const answer = p.waitForResponse((r) => r.url().endsWith('/preview'));
      await p.getByRole('button', { name: 'Preview' }).click();
      const previewed = (await (await answer).json()) as { overall: { car: number; after: Row }[]; classes: { class: string; rows: { car: number; after: Row }[] }[] };
      await p.waitForSelector('#preview');
      const overall = p.locator('#preview table.diff').first();
      assert.match(await overall.locator('tr[data-car="7"]').innerText(), /P3 .*P2/s);
      assert.match(await overall.locator('tr[data-car="2"]').innerText(), /P2 .*P3/s);
      assert.match(await p.locator('#preview').innerText(), /Class Limited 4WD/);
      assert.match(await p.locator('#preview pre.workings').first().innerText(), /speeding in the service park/);
      await p.locator('#preview').scrollIntoViewIfNeeded();
      await shot(p, 'desk-penalty-preview');

      await p.getByRole('button', { name: 'Save decision' }).click();
      await p.waitForFunction(() => /recorded as fact/.test(document.querySelector('#desk-msg')?.textContent ?? ''));
      const now = await server.api<{ classification: { rows: Row[] } }>('GET', `/api/rallies/${server.rallyId}/results`);
      for (const r of previewed.overall) {
        const x = now.body.classification.rows.find((q) => q.car === r.car);
        assert.deepEqual([x?.position, x?.totalMs], [r.after.position, r.after.totalMs], `car ${r.car} overall as previewed`);
      }
      const l4 = previewed.classes.find((c) => c.class === 'L4WD');
      assert.ok(l4, 'class L4WD changes');
      for (const r of l4.rows) assert.equal(now.body.classification.rows.find((q) => q.car === r.car)?.classPosition, r.after.classPosition);
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('a photocell jump start nobody decided shows as a finding whose fix button opens the jump-start form pre-filled', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const r = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'cell-SS16-5', type: 'jumpStart', car: 5, stage: 'SS16', source: 'photocell' }, server.officerToken);
    assert.equal(r.status, 201);
    const desk = await openDesk(browser, server, 1024, 1300);
    try {
      const p = desk.page;
      const item = p.locator('#anomalies li[data-code="jump-start-not-penalised"]');
      await item.getByRole('button', { name: /Decide the jump start/ }).click();
      assert.equal(await p.locator('#decision-kind').inputValue(), 'jumpStart');
      assert.equal(await p.getByLabel('Car', { exact: true }).inputValue(), '5');
      assert.equal(await p.getByLabel('Stage', { exact: true }).inputValue(), 'SS16');
      assert.match(await p.locator('#decision-rule').innerText(), /Art 48\.6/);
      // Keyboard focus follows to the form it opened.
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'decision-title');
      await p.getByLabel('Reason').fill('start marshal confirms the photocell');
      await p.getByRole('button', { name: 'Preview' }).click();
      await p.waitForSelector('#preview');
      assert.match(await p.locator('#preview').innerText(), /Clears: car 5 on SS16 \(jump-start-not-penalised\)/);
      await shot(p, 'desk-anomaly-fix-tablet');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('every control of the desk has an accessible name', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      for (const tab of await p.locator('nav.tabs button').all()) {
        await tab.click();
        const unnamed = await p.evaluate(() => [...document.querySelectorAll('button, input, select, textarea, a[href]')].filter((el) => {
          const e = el as HTMLElement;
          if (e.closest('[hidden]') || e.offsetParent === null) return false;
          const labelled = e.getAttribute('aria-label') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest('label') || (e.textContent ?? '').trim();
          return !labelled;
        }).map((e) => e.outerHTML.slice(0, 80)));
        assert.deepEqual(unnamed, [], `on ${await tab.innerText()}`);
      }
    } finally {
      await desk.close();
    }
  });
});
