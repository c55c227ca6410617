/**
 * `npm run bench -- --oidc-token [--backend …] [--quick]`: the OpenID provider's token endpoint
 * (issue 15), one server, three grants in turn, each on the plan's HTTP connections:
 *
 * - client credentials: a client lookup (cached), a stored opaque token and an audit row;
 * - refresh token: each connection rotates its own chain (find token, grant and account, consume,
 *   store a new refresh and access token, an RS256 ID token, an audit row);
 * - authorization code: codes minted beforehand through the provider's models (the sign-in pages
 *   are not measured), each exchanged once, with PKCE, for the same three tokens.
 *
 * Prints rps, latency and the server's CPU per request (the figure to compare on a shared machine).
 * BENCH_OIDC_GRANTS=client_credentials,refresh_token,authorization_code picks grants;
 * BENCH_OIDC_CODE_RATE sizes the code pool; BENCH_OIDC_PROFILE=<file.cpuprofile> runs the server under --cpu-prof and keeps the profile.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { summarize, summaryMarkdown } from './cpuprofile.js';
import { createBenchDatabase, seedUsers, type Backend, type BenchDatabase } from './database.js';
import { runLoad } from './load.js';
import { processCpuSeconds } from './machine-load.js';
import { codeExchangeBody, mintCodes, refreshBody } from './oidc-grants.js';
import { distDir, runNode, type Measured } from './processes.js';
import { startGatehouse, type RunOptions } from './scenarios.js';

const form = 'application/x-www-form-urlencoded';
const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const grants = (process.env.BENCH_OIDC_GRANTS ?? 'client_credentials,refresh_token,authorization_code').split(',');

export async function benchOidcToken(backend: Backend, options: RunOptions): Promise<void> {
  const { plan, log } = options;
  const script = join(distDir, 'src/main.js');
  let db: BenchDatabase | undefined;
  let server: Measured | undefined;
  try {
    db = await createBenchDatabase(backend, script);
    const env = { DATABASE_URL: db.url, GATEHOUSE_DATA_DIR: db.dataDir, GATEHOUSE_ENV: 'development', LOG_LEVEL: 'warn', REDIS_URL: '' };
    const made = JSON.parse(await runNode(script, ['clients', 'create', '--name', 'bench', '--grant', 'client_credentials', '--scope', 'bench:read', '--json'], env)) as { client_id: string; client_secret: string };
    await seedUsers(db, 1, 1, options.passwordHash);
    const wantCodes = grants.includes('authorization_code');
    const wantRefresh = grants.includes('refresh_token');
    // Codes live 60 s: the exchange pool is minted just before its load (minting 20,000 on PostgreSQL takes
    // longer than that, so a pool made at the start had expired by then); it covers the warm-up and the
    // measured run at up to BENCH_OIDC_CODE_RATE (default 1,500) exchanges a second.
    const codeCount = wantCodes ? Math.ceil((plan.warm + plan.seconds) * Number(process.env.BENCH_OIDC_CODE_RATE ?? 1500)) : 0;
    const minted = wantCodes || wantRefresh ? await mintCodes(env, 1, plan.connections) : undefined;
    const profDir = process.env.BENCH_OIDC_PROFILE ? mkdtempSync(join(db.dataDir, 'prof-')) : undefined;
    server = await startGatehouse(db, profDir ? { ...options, flags: ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '250'] } : options);
    const url = server.url;
    const measure = async (title: string, requests: (connection: number) => Request[], warm = true) => {
      if (warm) await runLoad({ url, connections: plan.connections, seconds: plan.warm, requests });
      const before = processCpuSeconds(server!.child.pid ?? 0) ?? 0;
      const r = await runLoad({ url, connections: plan.connections, seconds: plan.seconds, requests });
      const cpuUs = (((processCpuSeconds(server!.child.pid ?? 0) ?? 0) - before) / Math.max(1, r.requests)) * 1e6;
      log(`${backend} oidc-token (${title}): ${r.rps.toFixed(0)} /s  p50 ${r.latency.p50.toFixed(2)} ms  p99 ${r.latency.p99.toFixed(2)} ms  server CPU ${cpuUs.toFixed(0)} µs/req  ${plan.connections} connections, ${plan.seconds} s${r.non2xx ? `  NON-2XX ${r.non2xx} (${r.firstFailure})` : ''}`);
    };

    if (grants.includes('client_credentials')) {
      const authorization = basicAuth(made.client_id, made.client_secret);
      await measure('client credentials', () => [{ method: 'POST', path: '/oidc/token', headers: { authorization, 'content-type': form }, body: 'grant_type=client_credentials&scope=bench%3Aread' }]);
    }

    if (minted) {
      const authorization = basicAuth(minted.client.clientId, minted.client.secret);
      const codes = minted.codes;
      if (wantRefresh) {
        // One chain per connection, started by exchanging one code; each request presents the token it was just given.
        const chains = await Promise.all(
          codes.splice(0, plan.connections).map(async (code) => {
            const res = await fetch(`${url}/oidc/token`, { method: 'POST', headers: { authorization, 'content-type': form }, body: codeExchangeBody(code) });
            const body = (await res.json()) as { refresh_token?: string };
            if (!body.refresh_token) throw new Error(`code exchange for a refresh token failed: ${res.status} ${JSON.stringify(body)}`);
            return { token: body.refresh_token };
          }),
        );
        // No separate warm-up: a load's end drops the answers in flight, and a chain whose newest
        // token was never read presents the one before it next time, which is reuse (the grant is revoked).
        await measure('refresh token, rotated', (connection) => {
          const chain = chains[connection % chains.length]!;
          return [
            {
              method: 'POST',
              path: '/oidc/token',
              headers: { authorization, 'content-type': form },
              setupRequest: (req) => ({ ...req, body: refreshBody(chain.token) }),
              onResponse: (status, body) => {
                if (status === 200) chain.token = (JSON.parse(body) as { refresh_token: string }).refresh_token;
              },
            },
          ];
        }, false);
      }
      if (wantCodes) {
        const started = performance.now();
        const codes = (await mintCodes(env, 1, codeCount, minted.client)).codes;
        log(`  (minted ${codes.length} codes in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
        let next = 0;
        await measure('authorization code + PKCE', () => [
          { method: 'POST', path: '/oidc/token', headers: { authorization, 'content-type': form }, setupRequest: (req) => ({ ...req, body: codeExchangeBody(codes[next++] ?? 'pool-exhausted') }) },
        ]);
        if (next > codes.length) log(`  (the code pool of ${codes.length} ran out: raise it in bench/oidc-token.ts)`);
      }
    }

    if (profDir) {
      await server.stop();
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        copyFileSync(join(profDir, file), process.env.BENCH_OIDC_PROFILE!);
        log(summaryMarkdown(summarize(join(profDir, file), 40)));
      }
      rmSync(profDir, { recursive: true, force: true });
    }
  } finally {
    await server?.stop();
    await db?.drop();
  }
}
