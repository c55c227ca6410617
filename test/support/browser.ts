import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** Debian's Chromium, driven with playwright-core (no browser download at install time). */
export const chromiumPath = '/usr/bin/chromium';
/** CI installs chromium; there a missing browser is a failure, not a skip. */
export const haveBrowser = existsSync(chromiumPath) || process.env.CI === 'true';

/** A port nothing listens on, so a public URL (and with it a passkey RP ID's origin) is known before the app starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}
