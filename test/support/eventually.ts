/**
 * Retries `check` until it holds, for state another process, socket or timer settles. A check holds
 * when it returns anything but `false` and does not throw. After `timeoutMs` the last thrown error is
 * rethrown (an `expect` keeps its diff), or an error names `what`. Returns the milliseconds it took.
 */
export async function eventually(what: string, check: () => unknown, timeoutMs = 10_000, everyMs = 20): Promise<number> {
  const started = Date.now();
  for (;;) {
    let failure: unknown;
    try {
      if ((await check()) !== false) return Date.now() - started;
    } catch (err) {
      failure = err;
    }
    if (Date.now() - started > timeoutMs) {
      if (failure !== undefined) throw failure;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
