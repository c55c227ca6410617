import { read } from 'read';

/** Prompts need a person at a terminal; scripts and pipes get an error naming what to pass instead. */
export function canPrompt(noInput: boolean): boolean {
  return !noInput && process.stdin.isTTY === true;
}

/** Asks one question on the terminal; `hidden` keeps a password off the screen (npm's `read` mutes the echo). Ctrl-C rejects with "canceled". */
export async function ask(question: string, hidden = false): Promise<string> {
  const answer = await read({ prompt: question, silent: hidden }).catch((err: unknown) => {
    process.stdout.write('\n'); // Ctrl-C: "canceled" goes on its own line
    throw err;
  });
  // The muted echo swallows the Enter too.
  if (hidden) process.stdout.write('\n');
  return answer;
}
