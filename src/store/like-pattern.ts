/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally (escape character `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
