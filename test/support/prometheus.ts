/**
 * A strict parser for the Prometheus text exposition format (0.0.4), enough to fail a test on any line a
 * scraper would reject: HELP and TYPE before their samples, valid names, quoted and escaped label values,
 * numeric values. Returns each sample by `name{label="value",...}` (labels sorted).
 */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|[-+]Inf)';
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (${VALUE})(?: -?\\d+)?$`);
const ONE_LABEL = new RegExp(`(${'[a-zA-Z_][a-zA-Z0-9_]*'})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`, 'g');

export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    // The format allows empty lines (prom-client puts one between families).
    if (line === '') return;
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    if (line.startsWith('# HELP ')) {
      if (!HELP.test(line)) throw new Error(`bad HELP ${where}`);
      return;
    }
    if (line.startsWith('#')) {
      const m = TYPE.exec(line);
      if (!m?.[1] || !m[2]) throw new Error(`bad comment ${where}`);
      types.set(m[1], m[2]);
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m?.[1] || m[3] === undefined) throw new Error(`bad sample ${where}`);
    const name = m[1];
    const family = [...types.keys()].find(
      (f) =>
        name === f ||
        ((types.get(f) === 'histogram' || types.get(f) === 'summary') &&
          /^(_bucket|_sum|_count)$/.test(name.slice(f.length)) &&
          name.startsWith(f)),
    );
    if (!family) throw new Error(`sample before its TYPE ${where}`);
    const labels = [...(m[2] ?? '').matchAll(ONE_LABEL)].map((l) => `${l[1]}="${l[2]}"`).sort();
    const key = labels.length ? `${name}{${labels.join(',')}}` : name;
    if (samples.has(key)) throw new Error(`duplicate sample ${where}`);
    samples.set(key, Number(m[3].replace('Inf', 'Infinity')));
  });
  return samples;
}
