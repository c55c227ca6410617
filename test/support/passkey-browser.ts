import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { chromiumPath } from './browser.js';

export interface PasskeyBrowser {
  context: BrowserContext;
  page: Page;
  /** The DevTools session the virtual authenticator lives in (WebAuthn.getCredentials and the like). */
  cdp: CDPSession;
  authenticatorId: string;
  /** Requests the page made to an origin it was not allowed (aborted). */
  external: string[];
  /** Script errors and console errors, except the "Failed to load resource" line of an API refusal a page shows. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium with a passkey: a fresh profile, `localhost` mapped to 127.0.0.1 (WebAuthn needs a host
 * name, not an IP, as its RP ID), every request outside `allowed` aborted, and the DevTools WebAuthn domain's
 * virtual authenticator (CTAP2, internal transport, resident keys, user verification, presence simulated).
 */
export async function launchPasskeyBrowser(allowed: (url: URL) => boolean, viewport = { width: 390, height: 844 }): Promise<PasskeyBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP localhost 127.0.0.1'],
    viewport,
  });
  await context.route((url) => !allowed(url), (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  const external: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => {
    if (!allowed(new URL(r.url()))) external.push(r.url());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = (await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  })) as { authenticatorId: string };
  return {
    context,
    page,
    cdp,
    authenticatorId,
    external,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
