import type { TestApp } from '../support/app.js';
import { createServiceKey } from '../../src/core/service-keys.js';

/** A live service key (through the core, as the admin API and the CLI make them). */
export async function serviceKey(app: { core: TestApp['core'] }, name = 'resource server'): Promise<{ id: string; key: string }> {
  const { serviceKey: k, key } = await createServiceKey(app.core, { name });
  return { id: k.id, key };
}

/** Signs up and logs out: one revoked session; returns its id and access token. */
export async function revokedSession(app: TestApp): Promise<{ sid: string; token: string }> {
  const user = await app.signUp();
  const sid = await sessionIdOf(app, user.access_token);
  const out = await app.request({ method: 'POST', url: '/v1/auth/logout', token: user.access_token });
  if (out.statusCode !== 204) throw new Error(`logout failed: ${out.statusCode} ${out.body}`);
  return { sid, token: user.access_token };
}

/** The `sid` claim of an access token. */
export async function sessionIdOf(_app: unknown, accessToken: string): Promise<string> {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid?: string };
  if (!payload.sid) throw new Error('access token carries no sid');
  return payload.sid;
}

/** Reads Server-Sent Events off a fetch response body, one parsed event at a time. */
export class EventReader {
  readonly events: { id?: string; event?: string; data?: string }[] = [];
  readonly comments: string[] = [];
  private buffer = '';
  private readonly done: Promise<void>;

  constructor(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          this.buffer += decoder.decode(value, { stream: true });
          this.parse();
        }
      } catch {
        // aborted by the test, or the server ended the stream
      }
    })();
  }

  get closed(): Promise<void> {
    return this.done;
  }

  revocations(): { id: string; sid: string; revoked_at: number; not_after: number }[] {
    return this.events.filter((e) => e.event === 'revocation').map((e) => ({ id: e.id!, ...(JSON.parse(e.data!) as { sid: string; revoked_at: number; not_after: number }) }));
  }

  caughtUp(): boolean {
    return this.events.some((e) => e.event === 'caught-up');
  }

  private parse(): void {
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: { id?: string; event?: string; data?: string } = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else {
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id' || field === 'event' || field === 'data') event[field] = value;
        }
      }
      if (event.event || event.data) this.events.push(event);
    }
  }
}

/** Polls `check` until it holds (no timing threshold: the timeout only ends a hung test). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
