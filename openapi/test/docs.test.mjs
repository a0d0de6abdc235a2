// The reference page at /docs in headless Chromium: it lists every route of the document, loads
// nothing from outside the local server, and its "Try it out" sends a real upsert to the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { ACCOUNT_KEY, MAIN_WORKSPACE, startLocalApi } from './local-api.mjs';

const ROUTES = [
  'POST /v1/contacts/upsert',
  'POST /v1/contacts/batch/upsert',
  'POST /v1/contacts',
  'GET /v1/contacts/{id}',
  'PATCH /v1/contacts/{id}',
  'DELETE /v1/contacts/{id}',
  'GET /v1/contacts',
];
const UI_TIMEOUT_MS = 30_000;

let api;
let browser;
let page;
const foreignRequests = [];

before(async () => {
  api = await startLocalApi();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('request', (request) => {
    if (!request.url().startsWith(api.baseUrl) && !request.url().startsWith('data:')) {
      foreignRequests.push(request.url());
    }
  });
  await page.goto(`${api.baseUrl}/docs`);
  await page.locator('.opblock').first().waitFor();
});

after(async () => {
  await browser?.close();
  await api?.stop();
});

test('the document and the page need no API key', async () => {
  const document = await fetch(`${api.baseUrl}/openapi.json`);
  assert.equal(document.status, 200);
  assert.match(document.headers.get('content-type'), /^application\/json/);
  assert.equal((await document.json()).openapi, '3.1.0');
  // The API itself still does.
  const route = await fetch(`${api.baseUrl}/v1/contacts/${MAIN_WORKSPACE}`);
  assert.equal(route.status, 401);
});

test('/docs lists every route of the document, and the document has every route', async () => {
  const document = await (await fetch(`${api.baseUrl}/openapi.json`)).json();
  const documented = Object.entries(document.paths).flatMap(([path, item]) =>
    ['get', 'post', 'delete', 'put', 'patch'].filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
  );
  assert.deepEqual(documented.sort(), [...ROUTES].sort());

  const listed = await page.locator('.opblock').evaluateAll((blocks) =>
    blocks.map(
      (block) =>
        `${block.querySelector('.opblock-summary-method').textContent.trim()} ` +
        block.querySelector('.opblock-summary-path').getAttribute('data-path'),
    ),
  );
  assert.deepEqual(listed.sort(), [...ROUTES].sort());
});

test('"Try it out" on the upsert creates the example contact through the local API', async () => {
  await page.locator('.auth-wrapper button.authorize').click();
  await page.locator('.modal-ux input').fill(ACCOUNT_KEY);
  await page.locator('.modal-ux .auth-btn-wrapper button.authorize').click();
  await page.locator('.modal-ux button.btn-done').click();

  const upsert = page.locator('#operations-contacts-upsertContact');
  await upsert.locator('.opblock-summary').click();
  await upsert.locator('button.try-out__btn').click();
  // The body is the document's first example, as the page filled it in.
  const body = JSON.parse(await upsert.locator('textarea.body-param__text').inputValue());
  assert.equal(body.workspaceId, MAIN_WORKSPACE);
  await upsert.locator('button.execute').click();

  const status = upsert.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  assert.equal((await status.textContent()).trim(), '201');
  const answer = JSON.parse(await upsert.locator('.live-responses-table tbody .response-col_description pre.microlight').first().textContent());
  assert.equal(answer.phone, '+14155551234');
  await page.screenshot({ path: 'build/docs-try-it.png', fullPage: false });

  // The contact exists in the API, as the page's request created it.
  const read = await fetch(`${api.baseUrl}/v1/contacts/${answer.id}`, {
    headers: { Authorization: `Bearer ${ACCOUNT_KEY}` },
  });
  assert.equal(read.status, 200);
  assert.equal((await read.json()).email, body.email);
});

test('the page loaded nothing from outside the local server', () => {
  assert.deepEqual(foreignRequests, []);
});
