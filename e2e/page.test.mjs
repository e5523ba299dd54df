// End-to-end: the web page asks a Game of 24 question over the WebSocket and draws the search live.
// Needs a running service (PONDER_URL) and Debian's chromium; e2e/run.sh provides both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE = process.env.PONDER_URL ?? 'http://127.0.0.1:8080';
const SCREENSHOT = process.env.SCREENSHOT;   // optional: where to save a picture of the finished page
const MINUTE = 60_000;

test('a Game of 24 question grows a tree and ends with an answer', { timeout: 10 * MINUTE }, async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // 1. the page loads and learns that the model is ready
    await page.goto(BASE);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 5 * MINUTE });
    assert.ok(await page.$$eval('#strategy option', (os) => os.map((o) => o.value).includes('beam')));

    // 2. ask with step-level beam search and a small budget
    await page.fill('#question', 'Use 4 7 8 8 to make 24.');
    await page.selectOption('#strategy', 'beam');
    await page.$eval('#budget', (el) => { el.value = '4'; el.dispatchEvent(new Event('input')); });
    await page.fill('#max-tokens', process.env.MAX_TOKENS ?? '160');
    await page.fill('#temperature', '0.9');
    await page.fill('#seed', '42');
    await page.click('#ask');

    // 3. the tree grows while the search runs, then the answer area is filled
    await page.waitForFunction(() => document.querySelectorAll('#tree .node').length >= 3, null,
      { timeout: 5 * MINUTE });
    await page.waitForSelector('#answer[data-state="done"], #answer[data-state="none"]', { timeout: 8 * MINUTE });

    const nodes = await page.$$eval('#tree .node', (ns) => ns.length);
    assert.ok(nodes >= 3, `tree has ${nodes} nodes`);
    assert.ok(await page.$('#tree .node.best'), 'the best path is highlighted');
    assert.ok((await page.textContent('#answer')).trim().length > 0, 'the answer area is filled');
    assert.ok((await page.textContent('#chain')).trim().length > 0, 'the best chain is shown');
    assert.match(await page.textContent('#history'), /24/, 'the question joins the history');
    assert.match(await page.textContent('#answer-note'), /seed 42/, 'the seed asked for is the seed used');

    // the chosen chain, step by step, with the self-check's verdict (beam checks every step it keeps)
    const bestSteps = await page.$$eval('#tree .node.best', (ns) => ns.filter((n) => n.dataset.node !== 'root').length);
    const verdicts = await page.$$eval('#verdicts .verdict', (vs) => vs.map((v) => v.textContent));
    assert.equal(verdicts.length, bestSteps, `one verdict per step of the best chain: ${verdicts}`);
    assert.ok(verdicts.every((v) => /^(yes|no) [01]\.\d\d$/.test(v)), `beam's steps all carry a verdict: ${verdicts}`);

    // collapsing pruned subtrees hides exactly the pruned nodes off the best path, behind "+N pruned" markers
    const shown = () => page.$$eval('#tree .node', (ns) => ns.filter((n) => n.style.display !== 'none').length);
    const markers = () => page.$$eval('#tree .fold', (fs) => fs.filter((f) => f.style.display !== 'none')
        .map((f) => Number(f.textContent.match(/\+(\d+)/)[1])).reduce((a, b) => a + b, 0));
    const drawnCollapsed = await shown();
    const inMarkers = await markers();
    await page.uncheck('#collapse');
    await page.waitForTimeout(100);
    const all = await page.$$eval('#tree .node', (ns) => ns.length);
    assert.equal(await shown(), all, 'without collapsing every node is drawn');
    assert.equal(await markers(), 0, 'without collapsing no marker is drawn');
    const hiddenPruned = await page.$$eval('#tree .node.pruned:not(.best)', (ns) => ns.length);
    const counts = `collapsed: ${drawnCollapsed} of ${all} drawn, ${inMarkers} in markers, ${hiddenPruned} pruned`;
    assert.ok(all - drawnCollapsed >= hiddenPruned, counts);
    assert.ok(inMarkers <= hiddenPruned && (inMarkers > 0) === (hiddenPruned > 0), counts);
    await page.check('#collapse');

    // a click on the root folds the whole tree into it, a second click unfolds it
    await page.$eval('#tree g[data-node="root"]', (g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    await page.waitForTimeout(100);
    assert.equal(await shown(), 1, 'a folded root hides the tree');
    await page.$eval('#tree g[data-node="root"]', (g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    await page.waitForTimeout(100);
    assert.equal(await shown(), drawnCollapsed, 'unfolding brings it back');

    // zoom in and out: pixels drawn per unit of the tree's own coordinates
    const scale = () => page.$eval('#tree', (svg) => parseFloat(svg.style.width) / svg.viewBox.baseVal.width);
    const before = await scale();
    await page.click('#zoom-in');
    await page.waitForTimeout(100);
    const zoomed = await scale();
    assert.ok(Math.abs(zoomed / before - 1.25) < 0.01, `zoom in scales by 1.25: ${before} -> ${zoomed}`);
    await page.click('#zoom-out');
    await page.click('#zoom-out');
    await page.waitForTimeout(100);
    assert.ok(await scale() < before, 'zoom out shrinks it below where it started');
    await page.click('#zoom-fit');
    await page.waitForTimeout(600);   // nodes glide to their new places
    assert.deepEqual(errors, [], 'no script errors');

    // the theme follows the system setting
    const background = () => page.evaluate(() => getComputedStyle(document.querySelector('section')).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    assert.notEqual(light, dark, `panels change with the colour scheme (${light} / ${dark})`);

    if (SCREENSHOT) {
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
  } finally {
    await browser.close();
  }
});
