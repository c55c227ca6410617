/**
 * A server process stand-in for the crash test: commits mail, then starts delivering it.
 * The parent kills it with SIGKILL while a send is in flight. Run with `node --import tsx`; the
 * server's modules come from the build (CRASH_BUILT: the file URL of dist/src), so tsx compiles only this file.
 */
const from = <T>(module: string) => import(`${process.env.CRASH_BUILT}/${module}`) as Promise<T>;
const { loadConfig } = await from<typeof import('../../../src/config.js')>('config.js');
const { createMailer } = await from<typeof import('../../../src/mail/mailer.js')>('mail/mailer.js');
const { createSmtpTransport } = await from<typeof import('../../../src/mail/transports/smtp.js')>('mail/transports/smtp.js');
const { OutboxWorker } = await from<typeof import('../../../src/mail/worker.js')>('mail/worker.js');
const { openStore } = await from<typeof import('../../../src/store/db.js')>('store/db.js');

const env = process.env;
const store = openStore(env.CRASH_DB_URL!, env.CRASH_DB_SCHEMA ? { schema: env.CRASH_DB_SCHEMA } : {});
const config = loadConfig({ GATEHOUSE_ENV: 'test', MAIL_FROM: 'Acme ID <no-reply@acme.test>' });
const mailer = createMailer(config);
const count = Number(env.CRASH_COUNT);

await store.db.transaction().execute(async (trx) => {
  for (let i = 0; i < count; i++) {
    await mailer.enqueue(trx, { kind: 'password_reset', to: `crash${i}@example.com`, data: { code: `crash-${i}` } });
  }
});
process.stdout.write('committed\n');

const worker = new OutboxWorker({
  db: store.db,
  transport: createSmtpTransport(env.CRASH_SMTP_URL!),
  from: config.mailFrom,
  id: 'crashed-child',
  leaseMs: Number(env.CRASH_LEASE_MS),
});
worker.start();
// Keeps the process alive until the parent kills it (the worker's timer is unref'd).
setInterval(() => {}, 60_000);
