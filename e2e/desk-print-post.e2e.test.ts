// The clerk of the course at the desk, on the demo rally (the real Sno*Drift
// 2026): publishes the provisional classification, prints it (the PDF the
// desk links, read back with pdftotext) and posts it on the official notice
// board; then, the inquiry window closed, the same for the official one. The
// public notice board lists both, each with its PDF.
// SEE: docs/documents.md (official documents), rally-rules §5 (provisional and
// official classifications).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const poppler = spawnSync('pdftotext', ['-v']).error === undefined;

/** The PDF behind a link, as text (pdftotext -layout). */
async function pdfText(server: TestServer, href: string): Promise<string> {
  const res = await fetch(server.url + href);
  assert.equal(res.status, 200, href);
  assert.equal(res.headers.get('content-type'), 'application/pdf', href);
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-print-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), Buffer.from(await res.arrayBuffer()));
    const out = spawnSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the clerk prints and posts the provisional and official classifications of the demo rally from the browser', () => {
  let server: TestServer;
  // 23:00 UTC is 18:00 in Detroit on Saturday 7 February 2026, after the last stage.
  let clock = Date.parse('2026-02-07T23:00:00Z');
  before(async () => { if (browser && poppler) server = await startServer({ fixture: 'ara', now: () => new Date(clock) }); });
  after(async () => { await server?.close(); });

  async function printAndPost(p: Page, kind: 'provisional' | 'official', n: number): Promise<{ notice: number; text: string }> {
    const item = p.locator(`#publications li[data-kind="${kind}"]`);
    await item.waitFor();
    const print = item.getByRole('link', { name: `Print the ${kind} classification #${n} (PDF)` });
    const href = await print.getAttribute('href');
    assert.equal(href, `/api/rallies/${server.rallyId}/publications/${n}/documents/final-classification.pdf`);
    const text = await pdfText(server, href!);
    await item.getByRole('button', { name: `Post the ${kind} classification #${n} on the notice board` }).click();
    await item.getByText(/posted on the notice board as document \d+/).waitFor();
    const notice = Number(/document (\d+)/.exec(await item.innerText())![1]);
    return { notice, text };
  }

  test('publish, print and post: provisional #1, then official #2; the notice board holds both with their PDFs', async (t) => {
    if (!browser) return t.skip('no Chromium');
    if (!poppler) return t.skip('pdftotext (poppler-utils) not installed');
    const results = (await server.api<{ classification: { rows: { car: number; position: number | null; driver: string }[] } }>('GET', `/api/rallies/${server.rallyId}/results?category=National`)).body.classification.rows;
    const winner = results.find((r) => r.position === 1)!;
    let prov = { notice: 0, text: '' };
    let off = { notice: 0, text: '' };
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.click('#tab-publish');
      await p.selectOption('#pub-kind', 'provisional');
      await p.fill('#pub-reason', 'end of the rally, all crews in');
      await p.click('#publish');
      prov = await printAndPost(p, 'provisional', 1);
      assert.match(prov.text, /PROVISIONAL/);
      assert.doesNotMatch(prov.text, /OFFICIAL/);
      assert.ok(prov.text.includes(String(winner.car)), 'the winner is printed');
      assert.match(prov.text, /page 1 of \d+/);

      // The inquiry window runs out; nothing stands in the way of the official classification.
      clock += 2 * 60 * 60_000;
      await p.selectOption('#pub-kind', 'official');
      await p.fill('#pub-reason', 'final classification');
      await p.click('#publish');
      await p.waitForSelector('dialog[open]');
      assert.match(await p.locator('dialog[open]').innerText(), /Nothing stands in the way/);
      await p.getByRole('button', { name: 'Publish official' }).click();
      off = await printAndPost(p, 'official', 2);
      assert.match(off.text, /OFFICIAL/);
      assert.ok(off.notice > prov.notice, 'posted after the provisional one');
      // Posting again is not offered: each publication is posted once.
      assert.equal(await p.getByRole('button', { name: 'Post the official classification #2 on the notice board' }).count(), 0);
      await shot(p, 'desk-print-post');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }

    // The public notice board, on a phone: both classifications, each linking its PDF.
    const phone = await phonePage(browser);
    try {
      await phone.page.goto(`${server.url}/notices.html?rally=${server.rallyId}`);
      for (const [n, kind, pub] of [[prov.notice, 'Provisional', 1], [off.notice, 'Official', 2]] as const) {
        const li = phone.page.locator(`li[data-notice="${n}"]`);
        await li.waitFor();
        assert.match(await li.innerText(), new RegExp(`${n}\\. Classification: ${kind} classification \\(publication ${pub}\\)`));
        const link = li.getByRole('link', { name: `Document ${n}: classification overall and by class (PDF)` });
        assert.equal(await link.getAttribute('href'), `/api/rallies/${server.rallyId}/publications/${pub}/documents/final-classification.pdf`);
      }
      const dir = mkdtempSync(join(tmpdir(), 'rallyhq-shot-'));
      await phone.page.screenshot({ path: join(dir, 'notice-board-classifications.png'), fullPage: true });
      console.log(`notice board screenshot: ${join(dir, 'notice-board-classifications.png')}`);
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the notice board is ${width} px wide on a 375 px phone (the seal must wrap)`);
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }
  });
});
