/**
 * The trace viewer in a real browser (Debian's chromium driven by playwright-core): pages for a
 * deadlock, a safety violation and a lasso, written by `kmc view` and `kmc check --html`, loaded,
 * stepped through with the keyboard and the mouse; what is shown is asserted, and a screenshot of
 * each is kept in test-artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../cli/load-model.ts';
import { kmc } from '../test-util/cli.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium, required } from '../test-util/tools.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-viewer-'));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const profile = mkdtempSync(join(tmpdir(), 'kmc-chromium-'));
let browser: BrowserContext;
const problems: string[] = [];

async function open(html: string, hash = ''): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`${html}: ${String(e)}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${html}: ${m.text()}`); });
  page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`${html}: requested ${r.url()}`); });
  await page.goto(pathToFileURL(html).href + hash);
  return page;
}

const texts = (page: Page, sel: string): Promise<string[]> => page.locator(sel).allTextContents();
/** The cells of the table rows `sel` selects. */
const rows = async (page: Page, sel: string): Promise<string[][]> =>
  page.locator(sel).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
const title = (page: Page): Promise<string | null> => page.locator('#step-title').textContent();

describe.skipIf(!hasChromium && !required)('the trace viewer in chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 },
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('a deadlock (S-12): lanes, the last step first, who holds and waits, the cycle drawn; keys and clicks step', async () => {
    const html = join(tmp, 'S-12.html');
    expect((await kmc('view', 'counterexamples/S-12.itf.json', '--out', html)).out).toBe(`wrote ${html}\n`);
    const page = await open(html);
    expect(await texts(page, '#steps thead th')).toEqual(['#', 'dio0', 'dio1']);
    expect(await title(page)).toBe('step 16 of 16: dio1: filemap_map_pages(A)');
    expect(await page.locator('#step-ending').textContent()).toBe('deadlock');
    expect(await rows(page, '#locks-body tr')).toEqual([['A (add)', '-', '-', 'dio1'], ['A (block)', 'dio0', '-', '-'], ['B (add)', '-', '-', 'dio0'], ['B (block)', 'dio1', '-', '-']]);
    expect(await texts(page, '#cycle-svg text.name')).toEqual(['dio0', 'dio1']);
    expect(await texts(page, '#cycle-svg text.lock')).toEqual(['B (add)', 'A (add)']);
    expect(await page.locator('#cycle-svg path.wait').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-deadlock.png'), fullPage: true });

    await page.keyboard.press('Home');
    expect(await title(page)).toBe('initial state');
    expect(await rows(page, '#locks-body tr')).toEqual([['no lock held or waited for']]);
    await page.keyboard.press('ArrowDown');
    expect(await title(page)).toBe('step 1 of 16: dio0: inode_lock(A)');
    expect(await page.locator('#step-fn').textContent()).toBe('include/linux/fs.h: inode_lock');
    expect(await page.locator('#step-changes').textContent()).toBe('changed: &inode->i_rwsem[A].writer=dio0');
    expect(await rows(page, '#locks-body tr')).toEqual([['&inode->i_rwsem[A]', 'dio0', '-', '-']]);
    expect(await rows(page, '#state-body tr.changed')).toEqual([['&inode->i_rwsem[A].writer', 'dio0'], ['dio0.pc', 'inode_dio_begin(A)']]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await title(page)).toBe('step 2 of 16: dio0: inode_dio_begin(A)');
    expect(await texts(page, '#steps tr.selected td.num')).toEqual(['2']);
    expect(new URL(page.url()).hash).toBe('#step-2');
    await page.locator('#steps tr[data-step="9"]').click();
    expect(await title(page)).toBe('step 9 of 16: dio1: inode_lock(B)');
    expect(await page.locator('#steps tr[data-step="9"] td').nth(2).locator('.label').textContent()).toBe('inode_lock(B)');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowDown');
    expect(await title(page)).toBe('step 16 of 16: dio1: filemap_map_pages(A)');
  });

  it('a safety violation (S-3): the violated property ends the trace; stepping back shows who holds the folio and its writeback', async () => {
    const html = join(tmp, 'S-3.html');
    await kmc('view', 'counterexamples/S-3.itf.json', '--out', html);
    const page = await open(html);
    expect(await texts(page, '#steps thead th')).toEqual(['#', 'user', 'pinner', 'writeback']);
    expect(await texts(page, '#steps tr.ending td')).toEqual([`*** violated: 'P2 stable pages: modified under writeback' after step 15`]);
    expect(await title(page)).toBe('step 15 of 15: pinner: kwrite(A)');
    await page.keyboard.press('ArrowUp');
    expect(await title(page)).toBe('step 14 of 15: writeback: folio_start_writeback(A): submit');
    expect(await rows(page, '#locks-body tr')).toEqual([['PG_writeback A', 'writeback', '-', '-'], ['folio A', 'writeback', '-', '-']]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-safety.png'), fullPage: true });
  });

  it("a lasso (kmc check --html): the cycle's steps marked between its start and its return; #step-N selects", async () => {
    const html = join(tmp, 'lasso.html');
    expect((await kmc('check', 'classic/starvation', '--param', 'wait=bit_lock', '--html', html)).code).toBe(13);
    const page = await open(html, '#step-1');
    expect(await title(page)).toBe('step 1 of 3: competitor: wait_on_bit_lock(b)');
    expect(await texts(page, '#steps tr.marker td')).toEqual(['— cycle starts here —', '— back to the start of the cycle, forever —']);
    expect(await texts(page, '#steps tr.in-cycle td.num')).toEqual(['1', '2', '3']);
    expect(await texts(page, '#steps tr.ending td')).toEqual([`*** liveness violated: 'waiter terminates': the cycle repeats forever`]);
    expect(await page.locator('p.headline').first().textContent()).toBe(`liveness violated: 'waiter terminates' on a run of 0 steps, then a cycle of 3 steps (weak: waiter, competitor)`);
    expect(await page.locator('#cycle-svg').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-lasso.png'), fullPage: true });
  });

  it('no page error, no console error, no request leaves the file', () => expect(problems).toEqual([]));
});
