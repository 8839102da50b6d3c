/**
 * The trace viewer and the explorer in a real browser (Debian's chromium driven by
 * playwright-core): viewer pages for a deadlock, a safety violation and a lasso, written by `kmc
 * view` and `kmc check --html`, and explorer pages written by `kmc explore`, loaded, stepped
 * through with the keyboard and the mouse; what is shown is asserted, and a screenshot of each
 * is kept in test-artifacts/. One browser for all: starting it is most of the time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  /** The part of `sel` that lies outside the window (0: all of it in view). The page-side code is text: this project compiles without the DOM's types. */
  const outside = (page: Page, sel: string): Promise<number> => page.locator(sel).evaluate(new Function('e', `
    const r = e.getBoundingClientRect();
    return Math.max(0, -r.top) + Math.max(0, r.bottom - innerHeight) + Math.max(0, -r.left) + Math.max(0, r.right - innerWidth);`) as (e: unknown) => number);
  /** The words (texts without a space) in `sel`'s subtree that the browser broke over more than one line. */
  const broken = (page: Page, sel: string): Promise<string[]> => page.locator(sel).evaluate(new Function('root', `
    const out = [], walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const r = document.createRange();
      r.selectNodeContents(t);
      if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1 && !/\\s/.test(t.textContent.trim())) out.push(t.textContent);
    }
    return out;`) as (e: unknown) => string[]);

  it('a deadlock (S-12) opens on the answer: model, parameters, verdict and the cycle in view, the first step selected; changed fields, all on request; keys and clicks step', async () => {
    const html = join(tmp, 'S-12.html');
    expect((await kmc('view', 'counterexamples/S-12.itf.json', '--out', html)).out).toBe(`wrote ${html}\n`);
    const page = await open(html);
    expect(await page.locator('#model').textContent()).toBe('S-12: dio-mmap');
    expect(await page.locator('#params').textContent()).toBe('fault_lock=pagecache_naive_fdm dio=d2 tasks=2 files=2 folios=1 buffer=next cached=false mm_writer=absent fault_ctx=mmap_lock punch=false buffered=none competitor=false');
    expect(await page.locator('#verdict').textContent()).toBe('deadlock after 18 steps');
    expect(await texts(page, '#steps thead th')).toEqual(['#', 'dio0', 'dio1']);
    expect(await title(page)).toBe('step 1 of 18: dio0: inode_lock(A)');
    expect(await texts(page, '#steps tr.selected td.num')).toEqual(['1']);
    for (const sel of ['#model', '#params', '#verdict', '#cycle-svg', '#step-title', '#steps tr.selected']) expect([sel, await outside(page, sel)]).toEqual([sel, 0]);
    // exactly the cycle's edges: each waiter to the holder, labelled with the lock
    expect(await texts(page, '#cycle-svg g.node text')).toEqual(['dio0', 'dio1']);
    expect(await texts(page, '#cycle-svg g.edge text')).toEqual(['B (add)', 'A (add)']);
    expect(await page.locator('#cycle-svg g.edge').count()).toBe(2);
    expect(await page.locator('#step-fn').textContent()).toBe('include/linux/fs.h: inode_lock');
    expect(await page.locator('#step-changes').textContent()).toBe('changed: &inode->i_rwsem[A].writer=dio0');
    expect(await rows(page, '#locks-body tr')).toEqual([['&inode->i_rwsem[A]', 'dio0', '-', '-']]);
    expect(await page.locator('#state-what').textContent()).toBe('state: the fields step 1 changed');
    expect(await rows(page, '#state-body tr')).toEqual([['&inode->i_rwsem[A].writer', 'dio0'], ['dio0.pc', 'inode_dio_begin(A)']]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-deadlock.png') });
    await page.locator('#all-fields').check();
    const all = await rows(page, '#state-body tr');
    expect(all.length).toBeGreaterThan(20);
    expect(await rows(page, '#state-body tr.changed')).toEqual([['&inode->i_rwsem[A].writer', 'dio0'], ['dio0.pc', 'inode_dio_begin(A)']]);
    await page.locator('#all-fields').uncheck();

    await page.keyboard.press('Home');
    expect(await title(page)).toBe('initial state');
    expect(await rows(page, '#locks-body tr')).toEqual([['no lock held or waited for']]);
    expect(await rows(page, '#state-body tr')).toEqual(all.map(([k]) => [k!, expect.any(String)]));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await title(page)).toBe('step 2 of 18: dio0: inode_dio_begin(A)');
    expect(await texts(page, '#steps tr.selected td.num')).toEqual(['2']);
    expect(new URL(page.url()).hash).toBe('#step-2');
    await page.locator('#steps tr[data-step="10"]').click();
    expect(await title(page)).toBe('step 10 of 18: dio1: inode_lock(B)');
    expect(await page.locator('#steps tr[data-step="10"] td').nth(2).locator('.label').textContent()).toBe('inode_lock(B)');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowDown');
    expect(await title(page)).toBe('step 18 of 18: dio1: filemap_map_pages(A)');
    expect(await page.locator('#step-ending').textContent()).toBe('deadlock');
    expect(await rows(page, '#locks-body tr')).toEqual([['A (add)', '-', '-', 'dio1'], ['A (block)', 'dio0', '-', '-'], ['B (add)', '-', '-', 'dio0'], ['B (block)', 'dio1', '-', '-']]);
    for (const sel of ['#model', '#verdict', '#steps tr.selected']) expect([sel, await outside(page, sel)]).toEqual([sel, 0]);
    // a narrow window: text wraps between names, never inside one (`&inode->i_rwsem` at its `-`)
    await page.setViewportSize({ width: 700, height: 900 });
    await page.locator('#all-fields').check();
    for (const i of [5, 18]) {
      await page.locator(`#steps tr[data-step="${i}"]`).click();
      expect(await broken(page, 'body')).toEqual([]);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-deadlock-narrow.png') });
  });

  it('a safety violation (S-3): the violated property ends the trace; stepping back shows who holds the folio and its writeback', async () => {
    const html = join(tmp, 'S-3.html');
    await kmc('view', 'counterexamples/S-3.itf.json', '--out', html);
    const page = await open(html);
    expect(await texts(page, '#steps thead th')).toEqual(['#', 'user', 'pinner', 'writeback']);
    expect(await texts(page, '#steps tr.ending td')).toEqual([`*** violated: 'P2 stable pages: modified under writeback' after step 15`]);
    expect(await title(page)).toBe('step 1 of 15: user: mmap_read_lock');
    await page.keyboard.press('End');
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

  it('the explorer (kmc explore): pick who runs next, see who is blocked on what, go back and take another turn, load a saved trace and continue from any step', async () => {
    const html = join(tmp, 'abba.explore.html'), trace = join(tmp, 'abba.itf.json');
    expect((await kmc('explore', 'classic/abba', '--out', html)).out).toBe(`wrote ${html} (19 states)\n`);
    writeFileSync(trace, JSON.stringify(JSON.parse((await kmc('check', 'classic/abba', '--json')).out).trace));
    const page = await open(html);
    const actors = (): Promise<string[][]> => rows(page, '#actors-body tr');
    const state = (): Promise<string | null> => page.locator('#state-title').textContent();
    expect(await page.locator('#model').textContent()).toBe('classic/abba');
    expect(await page.locator('#params').textContent()).toBe('ordered=false');
    expect(await page.locator('#size').textContent()).toMatch(/^explorer: 19 states, all reachable · /);
    expect(await state()).toBe('initial state (state 0)');
    expect(await actors()).toEqual([['T1', '1 mutex_lock(A)kernel/locking/mutex.c: mutex_lock'], ['T2', '2 mutex_lock(B)kernel/locking/mutex.c: mutex_lock']]);
    await page.locator('#actors tr[data-actor="T1"] button.move').click();
    expect(await state()).toBe('after step 1: T1: mutex_lock(A) (state 1)');
    expect(await rows(page, '#locks-body tr')).toEqual([['A', 'T1', '-', '-']]);
    expect(await rows(page, '#state-body tr')).toEqual([['A', 'T1'], ['T1.pc', 'mutex_lock(B)']]);
    await page.keyboard.press('2');   // the second step offered: T2's mutex_lock(B)
    expect(await state()).toBe('after step 2: T2: mutex_lock(B) (state 4)');
    expect(await actors()).toEqual([['T1', "blocked in 'mutex_lock(B)': waiting on B held by T2"], ['T2', "blocked in 'mutex_lock(A)': waiting on A held by T1"]]);
    expect(await page.locator('#verdict').textContent()).toBe('deadlock: T1 waits for B, held by T2; T2 waits for A, held by T1');
    expect(await texts(page, '#history .changes')).toEqual(['A=T1', 'B=T2']);
    for (const sel of ['#model', '#verdict', '#actors']) expect([sel, await outside(page, sel)]).toEqual([sel, 0]);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-deadlock.png') });
    const address = page.url();
    expect(new URL(address).hash).toMatch(/^#run=\d+\.\d+$/);
    const again = await open(html, new URL(address).hash);   // the address holds the run
    expect(await again.locator('#state-title').textContent()).toBe('after step 2: T2: mutex_lock(B) (state 4)');
    await again.close();
    await page.keyboard.press('Backspace');
    expect(await state()).toBe('after step 1: T1: mutex_lock(A) (state 1)');
    expect(await texts(page, '#history tr.ahead td.num')).toEqual(['2']);
    await page.keyboard.press('ArrowRight');
    expect(await state()).toBe('after step 2: T2: mutex_lock(B) (state 4)');
    await page.keyboard.press('ArrowLeft');
    await page.locator('#actors tr[data-actor="T1"] button.move').click();   // what if T1 ran on instead
    expect(await state()).toBe('after step 2: T1: mutex_lock(B) (state 3)');
    expect(await texts(page, '#history tr.hstep td.label')).toEqual(['', 'T1', 'T1']);
    expect(await page.locator('#verdict').textContent()).toBe('');

    await page.locator('#load').setInputFiles(trace);
    await page.waitForFunction(`document.getElementById('load-status').textContent !== ''`);   // the file is read asynchronously
    expect(await page.locator('#load-status').textContent()).toBe('loaded abba.itf.json: 2 steps; click any step to continue from there');
    expect(await state()).toBe('after step 2: T2: mutex_lock(B) (state 4)');
    await page.locator('#history tr[data-at="1"]').click();
    expect(await state()).toBe('after step 1: T1: mutex_lock(A) (state 1)');
    await page.locator('#actors tr[data-actor="T1"] button.move').click();
    expect(await state()).toBe('after step 2: T1: mutex_lock(B) (state 3)');
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-continued.png') });

    // a trace of another configuration: loaded as far as it goes, and the step that cannot be taken says why
    const ordered = join(tmp, 'ordered.explore.html');
    await kmc('explore', 'classic/abba', '--param', 'ordered=true', '--out', ordered, '--trace', trace);
    const other = await open(ordered);
    expect(await other.locator('#load-status').textContent()).toBe("abba.itf.json: step 2 (T2: mutex_lock(B)) cannot be taken here: T2 is blocked in 'mutex_lock(A)': waiting on A held by T1; loaded its first 1 steps (with ordered=false)");
    expect(await other.locator('#state-title').textContent()).toBe('after step 1: T1: mutex_lock(A) (state 1)');
  });

  it('no page error, no console error, no request leaves the file', () => expect(problems).toEqual([]));
});
