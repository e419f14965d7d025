// Tokens and people in real Chromium: the results officer issues a code for a
// marshal at SS3F and sees it as a QR code; the marshal's phone enrolls with
// it; the phone is lost, and two clicks (Revoke, then confirm) revoke its
// token — its next request is refused with 401. At laptop and tablet width,
// with every control named.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { laptopPage, launchBrowser, startServer, type TestServer } from './harness.ts';
import { shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Form controls and buttons without an accessible name (label, aria-label or text). */
function unnamed(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('input, select, button, textarea')]
    .filter((el) => {
      const e = el as HTMLInputElement;
      const named = (e.labels?.length ?? 0) > 0 || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent?.trim());
      return !named && (el as HTMLElement).offsetParent !== null;
    })
    .map((el) => el.outerHTML.slice(0, 120)));
}

describe('tokens and people (laptop, tablet)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('issue a marshal code for SS3F, see its QR code, the phone enrolls; revoke in two clicks and the phone gets 401', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await laptopPage(browser);
    try {
      await page.goto(`${server.url}/organise.html?id=${server.rallyId}&view=people`);
      await page.getByLabel('Token').fill(server.officerToken);
      await page.getByRole('button', { name: 'Open' }).click();
      const form = page.getByRole('form', { name: 'Add a person' });
      await form.getByLabel('Name').fill('Sam Ortiz');
      await form.getByLabel('Post').selectOption('marshal');
      await form.getByLabel('Controls').fill('ss3f');
      await form.getByRole('button', { name: 'Issue' }).click();

      const qr = page.getByRole('img', { name: /^QR code of http:\/\/127\.0\.0\.1:\d+\/enroll\?code=[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/ });
      await qr.waitFor();
      assert.ok(await qr.locator('svg').count() === 1, 'the QR code is drawn');
      const code = (await page.locator('#issued-code').innerText()).trim();
      assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      assert.match(await page.getByRole('heading', { name: /Enrollment code for/ }).innerText(), /Marshal SS3F — Sam Ortiz/);
      // The waiting code is listed, never its text.
      const codes = page.getByRole('table', { name: /Codes not used yet/ });
      assert.match(await codes.innerText(), /Sam Ortiz\s+Marshal\s+SS3F/);
      assert.equal((await codes.innerText()).includes(code), false);
      assert.deepEqual(await unnamed(page), []);
      await shot(page, 'organise-people-code');

      // The marshal's phone enrolls with the code (what the marshal page sends).
      const phone = await server.api<{ token: string; id: string }>('POST', '/api/enroll', { code, device: 'Sam’s phone' });
      assert.equal(phone.status, 201);
      const whoami = await server.api<{ role: string; controls: string[] }>('GET', '/api/whoami', undefined, phone.body.token);
      assert.deepEqual([whoami.body.role, whoami.body.controls], ['timekeeper', ['SS3F']]);

      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'Refresh' }).click();
      const people = page.getByRole('table', { name: /People with a token/ });
      const row = people.locator(`tr[data-token="${phone.body.id}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), /Sam Ortiz\s+Marshal\s+SS3F\s+Sam’s phone/);
      await page.setViewportSize({ width: 820, height: 1100 });
      await shot(page, 'organise-people-tablet');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'nothing wider than a tablet');

      // The phone is lost: click 1 — Revoke on its line; click 2 — confirm.
      await row.getByRole('button', { name: 'Revoke Marshal SS3F — Sam Ortiz (Sam’s phone)' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke Marshal SS3F — Sam Ortiz?' });
      assert.match(await dialog.innerText(), /Sam’s phone” is refused from now on/);
      await shot(page, 'organise-people-revoke');
      await dialog.getByRole('button', { name: 'Revoke now' }).click();
      await page.getByRole('status').getByText(/Revoked: Marshal SS3F — Sam Ortiz \(Sam’s phone\)/).waitFor();
      await row.waitFor({ state: 'detached' });

      const refused = await server.api<{ code: string }>('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'lost-phone-1', type: 'controlTime', car: 199, control: 'SS3F', at: '2026-02-06T12:00:00.0', source: 'manual' }, phone.body.token);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'token-revoked');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
