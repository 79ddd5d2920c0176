import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildWeb, webBuildIsStale } from '../../functions/node/web';
import { ROOT } from '../e2e/server-process';
import { peerAvailable } from '../peers/require';
import { chromiumAvailable, launch } from './chromium';

/** The page's globals these helpers touch (the test project is type-checked without the DOM library). */
type PageDocument = {
  addEventListener(type: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};
type PageWindow = {
  history: { pushState(state: unknown, title: string, url: string): void };
  dispatchEvent(e: unknown): boolean;
  PopStateEvent: new (type: string) => unknown;
};

export { CHROMIUM, chromiumAvailable, launch } from './chromium';

/**
 * Whether a file's browser tests can run here: Chromium and the peer binaries they name. A
 * developer's machine without them skips the file; CI must never pass by skipping.
 */
export function browserTestsAvailable(peers: string[] = []): boolean {
  const available = peerAvailable(peers) && chromiumAvailable();
  if (process.env.CI === 'true' && !available) throw new Error('CI=true but Chromium is missing');
  return available;
}

/** Screenshots of every page at both widths, for people to look at (kept out of git). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screens');
export const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

/** The build the server would make on start, made once before any server starts. */
export async function ensureWebBuilt() {
  if (webBuildIsStale()) await buildWeb({ logLevel: 'silent' });
}

/**
 * A signed-out browser tab on the platform. Every console error, page error and
 * Content-Security-Policy violation is recorded; `assertClean` fails the test on any.
 */
export type Tab = {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** `refusals`: the HTTP statuses the test provoked on purpose (a 422 it wants the page to show). */
  assertClean(...refusals: number[]): void;
};

export async function openTab(browser: Browser, origin: string, viewport = WIDTHS.desktop): Promise<Tab> {
  const context = await browser.newContext({ baseURL: origin, viewport });
  const problems: string[] = [];
  await context.addInitScript(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    doc.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    // A 401 the app answers by signing in again is the browser's network log, not an app error;
    // so is a request Chromium dropped because an address on the machine came or went (a compose
    // network a test's release creates): the app retries it, and a test that needs it still fails.
    if (m.type() === 'error' && !/status of 40[13]|net::ERR_NETWORK_CHANGED/.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    page,
    context,
    problems,
    assertClean: (...refusals) => {
      const left = problems.filter((p) => !refusals.some((s) => p.includes(`status of ${s} `)));
      expect(left, left.join('\n')).toEqual([]);
    },
  };
}

/**
 * One Chromium for a test file and the tabs its tests open: `start` in beforeAll once the server
 * is up, `close` in afterAll.
 */
export class Browsing {
  private browser: Browser | undefined;
  private origin = '';
  private readonly tabs: Tab[] = [];

  async start(origin: string) {
    this.origin = origin;
    this.browser = await launch();
  }

  /** A signed-out tab. */
  async tab(viewport = WIDTHS.desktop): Promise<Tab> {
    if (!this.browser) throw new Error('Browsing.start has not run');
    const t = await openTab(this.browser, this.origin, viewport);
    this.tabs.push(t);
    return t;
  }

  /** A tab signed in through the sign-in page. */
  async signedIn(username: string, password: string, viewport = WIDTHS.desktop): Promise<Tab> {
    const t = await this.tab(viewport);
    await signIn(t.page, username, password);
    return t;
  }

  async close() {
    for (const t of this.tabs) await t.context.close().catch(() => {});
    await this.browser?.close();
  }
}

export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * A move inside the app, as a click on a link would make it: no page load, so no round trip
 * through the refresh cookie (which a page load, `page.goto`, takes to get a new access token).
 */
export async function navigate(page: Page, path: string) {
  await page.evaluate((p) => {
    const w = globalThis as unknown as PageWindow;
    w.history.pushState({}, '', p);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, path);
  await page.waitForURL((u) => u.pathname + u.search === path);
}

/** axe-core over the page as it is: no serious or critical violation. */
export async function assertAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${page.url()}`,
  ).toEqual([]);
}

/**
 * A full-page screenshot draws the page as if the viewport were as tall as the page, but fixed
 * elements stay where the scrolled viewport had them: the app's header and navbar then appear
 * mid-page over the content. For the picture they scroll with the page instead.
 */
const FULL_PAGE_STYLE =
  '.mantine-AppShell-header, .mantine-AppShell-navbar { position: absolute !important; }';

/** One h1 per page, then a screenshot at the tab's width. */
export async function checkPage(page: Page, name: string) {
  await expect.poll(() => page.locator('h1').count()).toBe(1);
  await assertAccessible(page);
  // Nothing wider than the window: at phone width a page that scrolls sideways hides its edge.
  const overflow = await page.evaluate(() => {
    const w = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return w.document.documentElement.scrollWidth - w.innerWidth;
  });
  expect(overflow, `${name} is ${overflow}px wider than the window`).toBeLessThanOrEqual(0);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}-${width}.png`),
    fullPage: true,
    style: FULL_PAGE_STYLE,
  });
}
