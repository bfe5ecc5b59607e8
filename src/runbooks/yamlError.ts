import type { YAMLError } from 'yaml';

/**
 * One line for a YAML error: the reason, the column and the offending line. The yaml library's message
 * ends its first line with "at line 5, column 16:" and puts the source on the lines after, so taking
 * only its first line leaves a sentence cut off; the caller already names the file and line.
 */
export function yamlErrorText(error: YAMLError): string {
  const lines = error.message.split('\n');
  const reason = (lines[0] ?? '').replace(/\s*at line \d+, column \d+:?\s*$/, '').trim();
  const snippet = lines.slice(1).find((l) => l.trim() !== '' && !/^\s*\^+\s*$/.test(l));
  const column = error.linePos?.[0].col;
  const where = [column ? `column ${column}` : '', snippet ? JSON.stringify(snippet.trim()) : '']
    .filter(Boolean)
    .join(': ');
  return where ? `${reason} (${where})` : reason;
}
