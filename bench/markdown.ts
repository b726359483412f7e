/** Markdown output: tables from rows, and prettier's formatting so results.md passes the lint. */
import { format, resolveConfig } from 'prettier';

export type Align = 'left' | 'right' | 'center';

const RULE: Readonly<Record<Align, string>> = { left: '---', right: '--:', center: ':-:' };

/** A Markdown table; cells may not contain newlines, and pipes in them are escaped. */
export function table(
  header: readonly string[],
  align: readonly Align[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    line(header),
    `|${header.map((_, i) => RULE[align[i] ?? 'left']).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** `markdown` as prettier formats it with the project's settings for the file `path`. */
export async function formatMarkdown(markdown: string, path: string): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(markdown, { ...options, parser: 'markdown' });
}
