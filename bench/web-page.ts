import type { Browser, Page } from 'playwright-core';

/**
 * How a page is known to be usable: an element with this exact text, visible, and (when named) the
 * input labelled `field` enabled. `apis`: the API paths whose answers it needs before its lists are
 * real, so "usable" is the later of both.
 */
export type Probe = {
  selector: string;
  text: string;
  field?: string;
  apis: string[];
  /** The same condition through Playwright's accessibility queries, as the browser tests ask it. */
  confirm(page: Page): Promise<void>;
};

export type Load = {
  /** ms since navigation start (the document's own performance.now()). */
  ui: number;
  usable: number;
  document: number;
  resources: { path: string; end: number }[];
};

/**
 * Runs in the page before its own scripts: records performance.now() the first time the probe's
 * condition holds, checked on every DOM mutation and every frame, so the time is not the poll
 * interval of whoever waits for it.
 */
const readyScript = (p: Pick<Probe, 'selector' | 'text' | 'field'>) => `(() => {
  const p = ${JSON.stringify(p)};
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const labelled = (text) => {
    const l = [...document.querySelectorAll('label')].find(
      // A required field's label ends in Mantine's asterisk.
      (x) => x.textContent.replace(/\\s*\\*\\s*$/, '').trim() === text,
    );
    return l && l.htmlFor ? document.getElementById(l.htmlFor) : null;
  };
  const ready = () => {
    const el = [...document.querySelectorAll(p.selector)].find((e) => e.textContent.trim() === p.text);
    if (!el || !shown(el)) return false;
    if (!p.field) return true;
    const f = labelled(p.field);
    return Boolean(f && !f.disabled && shown(f));
  };
  const check = () => {
    if (window.__benchReady !== undefined || !ready()) return;
    window.__benchReady = performance.now();
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const frame = () => {
    check();
    if (window.__benchReady === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/** The page's globals read here (the bench is type-checked without the DOM library). */
type PageWindow = {
  __benchReady?: number;
  performance: { getEntriesByType(type: string): { name: string; responseEnd: number }[] };
};

/** Functions, not strings: the app's Content-Security-Policy forbids eval, which a string would need. */
function answered(apis: string[]): boolean {
  const w = globalThis as unknown as PageWindow;
  const seen = new Set(w.performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  return apis.every((a) => seen.has(a));
}

function timings(): Omit<Load, 'usable'> {
  const w = globalThis as unknown as PageWindow;
  return {
    ui: w.__benchReady!,
    document: w.performance.getEntriesByType('navigation')[0]!.responseEnd,
    resources: w.performance
      .getEntriesByType('resource')
      .map((e) => ({ path: new URL(e.name).pathname, end: e.responseEnd })),
  };
}

const WAIT_MS = 15_000;

/**
 * One first visit: a fresh browser context (empty HTTP cache, no cookies but those `prepare` sets),
 * navigation to `url`, then the probe's times. Page errors fail the sample.
 */
export async function loadOnce(
  browser: Browser,
  url: string,
  probe: Probe,
  prepare?: (request: import('playwright-core').APIRequestContext) => Promise<void>,
): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    if (prepare) await prepare(context.request);
    await context.addInitScript({ content: readyScript(probe) });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(url, { waitUntil: 'commit', timeout: WAIT_MS });
      await page.waitForFunction(
        () => (globalThis as unknown as PageWindow).__benchReady !== undefined,
        undefined,
        { timeout: WAIT_MS },
      );
      if (probe.apis.length) await page.waitForFunction(answered, probe.apis, { timeout: WAIT_MS });
      await probe.confirm(page);
    } catch (e) {
      const text = await page
        .locator('body')
        .innerText({ timeout: 1000 })
        .catch(() => '');
      throw new Error(
        `${url} (now ${page.url()}) not usable: ${(e as Error).message}\npage errors: ${errors.join('; ')}\npage text: ${text.slice(0, 500)}`,
      );
    }
    if (errors.length) throw new Error(`page errors on ${url}: ${errors.join('; ')}`);
    const t = await page.evaluate(timings);
    const apis = t.resources.filter((r) => probe.apis.includes(r.path)).map((r) => r.end);
    return { ...t, usable: Math.max(t.ui, ...apis) };
  } finally {
    await context.close();
  }
}
