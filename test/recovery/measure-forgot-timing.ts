/**
 * Not a test (no timing thresholds in tests): measures how long /v1/auth/password/forgot, and a
 * wrong guess at /v1/auth/password/verify, take for an address with an account and one without
 * (a decoy request), interleaved, on both backends.
 * Run: npx tsx test/recovery/measure-forgot-timing.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import { testApp } from '../support/app.js';
import { backends } from '../support/backends.js';

const rounds = Number(process.argv[2] ?? 400);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

for (const backend of backends) {
  const app = await testApp(backend, { LOG_LEVEL: 'silent' });
  await app.core.settings.update({ rate_reset_ip: 100_000, rate_reset_account: 100_000, rate_otp_ip: 100_000, rate_otp_account: 100_000 }, null);
  const { user } = await app.signUp();
  const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
  for (let i = 0; i < rounds + 50; i++) {
    for (const kind of i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) {
      const email = kind === 'known' ? user.email : `nobody${i}@example.com`;
      const t0 = performance.now();
      const res = await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email } });
      const ms = performance.now() - t0;
      if (res.statusCode !== 202) throw new Error(res.body);
      if (i >= 50) times[kind].push(ms); // first 50 rounds warm up
    }
  }
  const row = (k: 'known' | 'unknown') => `${k.padEnd(8)} ${[0.1, 0.5, 0.9, 0.99].map((q) => `p${q * 100} ${quantile(times[k], q).toFixed(2)} ms`).join('  ')}`;
  console.log(`${backend} forgot (${rounds} each):\n  ${row('known')}\n  ${row('unknown')}`);

  times.known = [];
  times.unknown = [];
  for (let i = 0; i < rounds / 4 + 10; i++) {
    const ids = {
      known: (await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: user.email } })).json().request_id,
      unknown: (await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: `nobody${i}@example.com` } })).json().request_id,
    };
    // Four wrong guesses each (the fifth would burn the request).
    for (let g = 0; g < 4; g++) {
      for (const kind of (i + g) % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) {
        const t0 = performance.now();
        const res = await app.request({ method: 'POST', url: '/v1/auth/password/verify', payload: { request_id: ids[kind], otp: 'x' } });
        const ms = performance.now() - t0;
        if (res.json().code !== 'otp_invalid') throw new Error(res.body);
        if (i >= 10) times[kind].push(ms);
      }
    }
  }
  console.log(`${backend} wrong code (${times.known.length} each):\n  ${row('known')}\n  ${row('unknown')}`);
  await app.close();
}
