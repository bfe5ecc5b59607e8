import type { Code, InlineCode, Nodes } from 'mdast';
import { findAll, lineOf } from './markdown.ts';
import type { Command, Example } from './model.ts';

/** Known CLIs: inline code is a command only when it starts with one of these and has arguments. */
const CLI =
  /^(?:sudo\s+)?(?:kubectl|oc|curl|wget|systemctl|journalctl|gitlab-[\w-]+|knife|psql|redis-cli|dig|helm|terraform|tf|git|docker|aws|gcloud|gsutil|az|cf|bosh|pip3?|ssh|scp|cat|tail|head|less|grep|df|du|ps|top|kill|service|chef-client|consul|vault|nomad|openssl|nc|ping|find|rm|mv|cp|chmod|chown|mount|umount|lsblk|virtctl|ceph|rados|rbd|etcdctl|crictl|podman|patronictl|gitlab-patronictl|pg_dump|pg_restore|pg_ctl|redis-server|sv|export|cd|ls|echo|mysql|mongo|mongosh|nslookup|traceroute|ip|ss|netstat|iptables|tcpdump|strace|lsof|free|uptime|dmesg|make|npm|yarn|go|python3?|node|bundle|rake|rails|bin\/[\w-]+|\.\/[\w./-]+)\b/;
/** Fence languages that hold output, logs or data to read, never something to run. */
const OUTPUT_LANGS =
  /^(text|txt|plain|plaintext|output|log|logs|console-output|stdout|stderr|none|nohighlight)$/i;
const SESSION_LANGS = /^(console|shell-session|terminal|sh-session|psql-session)$/i;
/** Labels right before a fence that make it an example: "Expected output:", "Example output", "you should see". */
export const OUTPUT_LABEL =
  /\b(expected (output|result)|example (output|response|log)s?|sample (output|log)s?|output (is |will be |should be )?(similar|like)|(you should|you will|you'll) see|should (look|return|show|output)|looks? like|returns? something like|the output|output:|log (lines?|entries|messages?) (like|such as)|example:?$|for example:?$|e\.g\.:?$)/i;

/**
 * A `$ cmd` prompt (also `user@host:~$ cmd`), or a root `# cmd` prompt in a fence that is not a script
 * (no language, or a session language) when what follows is a known CLI: in a bash fence `# ...` is a comment.
 */
function promptOf(line: string, rootPrompts: boolean): string | null {
  const dollar = /^(?:\s*|[\w.-]+@[\w.-]+[:~][^$]*|\[[^\]]+\])\$ (.*)$/.exec(line);
  if (dollar) return dollar[1] ?? '';
  const root = rootPrompts ? /^\s*# (.*)$/.exec(line) : null;
  return root && CLI.test(root[1] ?? '') ? (root[1] ?? '') : null;
}

/**
 * A fence written as a shell session: prompt lines (and their `\` continuations) are the command, the
 * rest is the output the responder should expect. Null when no line has a prompt.
 */
export function splitSession(code: string, lang: string | null): { run: string; output: string } | null {
  const rootPrompts = lang === null || SESSION_LANGS.test(lang);
  const run: string[] = [];
  const output: string[] = [];
  let continued = false;
  for (const line of code.split('\n')) {
    const prompt = continued ? line : promptOf(line, rootPrompts);
    if (prompt !== null) {
      run.push(prompt);
      continued = /\\\s*$/.test(line);
    } else output.push(line);
  }
  if (run.length === 0) return null;
  return { run: run.join('\n'), output: output.join('\n').replace(/^\n+|\n+$/g, '') };
}

export type FenceUse = { kind: 'command'; command: Command } | { kind: 'example'; example: Example };

/**
 * A fence is a command unless it is written as output: an output language (`text`, `log`), a `console`
 * fence without a prompt, a label before it such as "Expected output:", or a background section (samples
 * under Symptoms). Prompt fences keep their code and add `run` and `output`.
 */
export function useOfFence(code: Code, labelBefore: string, inBackground: boolean): FenceUse {
  const lang = code.lang ?? null;
  const session = splitSession(code.value, lang);
  const example = (label: Example['label']): FenceUse => ({
    kind: 'example',
    example: { lang, code: code.value, label, line: lineOf(code) },
  });
  if (inBackground) return example(/log/i.test(lang ?? '') ? 'log' : 'example');
  if (lang && /^logs?$/i.test(lang)) return example('log');
  if (OUTPUT_LABEL.test(labelBefore.trim()) && !/\b(run|execute|command)\b/i.test(labelBefore))
    return example('output');
  const firstLine = code.value.split('\n').find((l) => l.trim() !== '') ?? '';
  if (lang && OUTPUT_LANGS.test(lang) && !session && !CLI.test(firstLine.trim())) return example('output');
  if (lang && SESSION_LANGS.test(lang) && !session && !CLI.test(firstLine.trim())) return example('output');
  const command: Command = { lang, code: code.value };
  if (session && (session.output !== '' || session.run !== code.value)) {
    command.run = session.run;
    if (session.output) command.output = session.output;
  }
  return { kind: 'command', command };
}

/**
 * A whole command line written inline: a known CLI with at least two more words, or one argument that is
 * not a bare word (`df -h`, `cat /etc/hosts`); `oc describe` alone is a fragment of prose.
 */
export function isInlineCommand(value: string): boolean {
  const v = value.replace(/^\$\s+/, '').trim();
  if (!CLI.test(v) || /\n/.test(value)) return false;
  const args = v
    .replace(/^sudo\s+/, '')
    .split(/\s+/)
    .slice(1);
  if (args.length >= 2) return true;
  return args.length === 1 && /[-/.=:~$]/.test(args[0] ?? '');
}

export function inlineCommands(nodes: Nodes[]): Command[] {
  return findAll(nodes, 'inlineCode')
    .map((c: InlineCode) => c.value.replace(/\s+/g, ' ').trim())
    .filter(isInlineCommand)
    .map((code) => ({ lang: null, code }));
}
