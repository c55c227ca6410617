// A relying party's back-channel logout endpoint, as its own process: it verifies every logout
// token against the issuer's JWKS (jose) and prints one JSON line per token to stdout.
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [issuer, audiences, port = '0'] = process.argv.slice(2);
// '*': any audience (the test checks it); the signature, issuer and type are checked here.
const audience = audiences === '*' ? undefined : audiences.split(',');
let jwks;
// The issuer may start after this process: its keys are looked up on the first token.
async function keys() {
  if (!jwks) {
    const discovery = await (await fetch(new URL('/.well-known/openid-configuration', issuer))).json();
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  }
  return jwks;
}
const event = 'http://schemas.openid.net/event/backchannel-logout';

const server = createServer((req, res) => {
  const receivedAt = Date.now();
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', async () => {
    try {
      if (req.method !== 'POST' || !/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) throw new Error('not a form POST');
      const token = new URLSearchParams(raw).get('logout_token');
      if (!token) throw new Error('no logout_token');
      const { payload, protectedHeader } = await jwtVerify(token, await keys(), { issuer, ...(audience ? { audience } : {}), typ: 'logout+jwt' });
      if (typeof payload.aud !== 'string' && !Array.isArray(payload.aud)) throw new Error('no audience');
      if (!payload.events || typeof payload.events[event] !== 'object') throw new Error('no back-channel logout event');
      if ('nonce' in payload) throw new Error('a logout token carries no nonce');
      process.stdout.write(`${JSON.stringify({ receivedAt, path: req.url, header: protectedHeader, claims: payload })}\n`);
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ receivedAt, path: req.url, error: String(err?.message ?? err) })}\n`);
      res.writeHead(400).end();
    }
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ listening: server.address().port })}\n`));
