import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Chromium for the browser tests: Debian's package, or the one named by YRDX_CHROMIUM. */
export const CHROMIUM = process.env.YRDX_CHROMIUM ?? '/usr/bin/chromium';

/** Starts headless Chromium, or fails with what to install: these tests never skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The console's browser tests need Chromium at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium) or set YRDX_CHROMIUM to its path.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

/** Every visible form control has a label: a <label> for it, or an aria-label. */
export async function expectLabelled(page: Page): Promise<void> {
  const unlabelled = await page.$$eval('input, select, textarea', (elements) =>
    elements
      .filter((e) => (e as HTMLInputElement).type !== 'hidden')
      .filter((e) => {
        const control = e as HTMLInputElement;
        return (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label');
      })
      .map((e) => e.outerHTML.slice(0, 120)),
  );
  expect(unlabelled, `unlabelled controls on ${page.url()}`).toEqual([]);
}
