/**
 * The small, safe language of diagnostic thresholds and decision conditions. Runbook authors write
 * expressions; nothing here evaluates code: a hand-written tokenizer and recursive-descent parser build a
 * tree of a few node types, and the evaluators walk it. Anything the grammar does not know is a parse
 * error that names the position, so a bad runbook fails the linter instead of misjudging an incident.
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | atom
 *   atom    := [any|all|none] pred                     (threshold: over the check's items)
 *            | ID ('=='|'!='|'>='|'<='|'>'|'<') STATUS  (decision: a check's status)
 *   pred    := ID                                      a flag: unreachable, ready, error ...
 *            | [ID] OP NUMBER [ms|s|m|%]               a field (default `value`) against a number
 *
 * Thresholds: `>= 90`, `latency > 500ms`, `any unreachable`, `not all ready`, `status != 200`.
 * Decisions: `pool_usage == critical and http_api != healthy`, `disk >= warning`.
 */

export const STATUSES = ['healthy', 'warning', 'critical', 'error'] as const;
export type CheckStatus = (typeof STATUSES)[number];

/** Order for `>=` on statuses: an error is at least as bad as critical, because nothing was proved. */
const STATUS_RANK: Record<CheckStatus, number> = { healthy: 0, warning: 1, critical: 2, error: 3 };

export type Op = '>=' | '<=' | '==' | '!=' | '>' | '<';
export type Quantifier = 'any' | 'all' | 'none';

export type Expr =
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'not'; expr: Expr }
  | { type: 'compare'; quantifier: Quantifier | null; field: string; op: Op; value: number }
  | { type: 'flag'; quantifier: Quantifier | null; flag: string }
  | { type: 'status'; check: string; op: Op; status: CheckStatus };

export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

type Token =
  | { kind: 'id'; text: string; at: number }
  | { kind: 'num'; value: number; at: number }
  | { kind: 'op'; text: Op; at: number }
  | { kind: 'paren'; text: '(' | ')'; at: number };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
const MAX_LENGTH = 500;

function tokenize(source: string): Token[] {
  if (source.length > MAX_LENGTH) throw new ConditionError(`longer than ${MAX_LENGTH} characters`);
  const tokens: Token[] = [];
  const re = /\s*(?:(>=|<=|==|!=|>|<)|([()])|(-?\d+(?:\.\d+)?)(ms|s|m|%)?(?![\w.])|([A-Za-z_][\w.]*))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) throw new ConditionError(`unexpected "${source.slice(at).trim().slice(0, 20)}" at ${at + 1}`);
    const start = m.index + (m[0].length - m[0].trimStart().length);
    if (m[1]) tokens.push({ kind: 'op', text: m[1] as Op, at: start });
    else if (m[2]) tokens.push({ kind: 'paren', text: m[2] as '(' | ')', at: start });
    else if (m[3]) {
      const unit = m[4];
      const scale = unit && unit !== '%' ? (UNIT_MS[unit] ?? 1) : 1;
      tokens.push({ kind: 'num', value: Number(m[3]) * scale, at: start });
    } else if (m[5]) tokens.push({ kind: 'id', text: m[5], at: start });
    at = re.lastIndex;
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'any', 'all', 'none']);

/** Parses an expression into its tree; throws ConditionError saying what was expected where. */
export function parseCondition(source: string): Expr {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const word = (t: Token | undefined) => (t?.kind === 'id' ? t.text.toLowerCase() : null);
  const where = (t: Token | undefined) => (t ? `at ${t.at + 1}` : 'at the end');

  function orExpr(): Expr {
    let left = andExpr();
    while (word(peek()) === 'or') {
      i++;
      left = { type: 'or', left, right: andExpr() };
    }
    return left;
  }
  function andExpr(): Expr {
    let left = unary();
    while (word(peek()) === 'and') {
      i++;
      left = { type: 'and', left, right: unary() };
    }
    return left;
  }
  function unary(): Expr {
    const t = peek();
    if (word(t) === 'not') {
      i++;
      return { type: 'not', expr: unary() };
    }
    if (t?.kind === 'paren' && t.text === '(') {
      i++;
      const inner = orExpr();
      const close = peek();
      if (close?.kind !== 'paren' || close.text !== ')')
        throw new ConditionError(`expected ")" ${where(close)}`);
      i++;
      return inner;
    }
    return atom();
  }
  function atom(): Expr {
    let quantifier: Quantifier | null = null;
    const q = word(peek());
    if (q === 'any' || q === 'all' || q === 'none') {
      quantifier = q;
      i++;
    }
    const t = peek();
    if (t?.kind === 'op') {
      i++;
      return { type: 'compare', quantifier, field: 'value', op: t.text, value: number() };
    }
    if (t?.kind !== 'id' || KEYWORDS.has(t.text.toLowerCase()))
      throw new ConditionError(`expected a name or a comparison such as ">= 90" ${where(t)}`);
    i++;
    const next = peek();
    if (next?.kind !== 'op') return { type: 'flag', quantifier, flag: t.text };
    i++;
    const rhs = peek();
    if (rhs?.kind === 'id' && (STATUSES as readonly string[]).includes(rhs.text.toLowerCase())) {
      if (quantifier) throw new ConditionError(`"${quantifier}" cannot qualify a check status ${where(t)}`);
      i++;
      return { type: 'status', check: t.text, op: next.text, status: rhs.text.toLowerCase() as CheckStatus };
    }
    return { type: 'compare', quantifier, field: t.text, op: next.text, value: number() };
  }
  function number(): number {
    const t = peek();
    if (t?.kind !== 'num')
      throw new ConditionError(`expected a number or one of ${STATUSES.join(', ')} ${where(t)}`);
    i++;
    return t.value;
  }

  if (tokens.length === 0) throw new ConditionError('empty expression');
  const expr = orExpr();
  if (i < tokens.length) throw new ConditionError(`unexpected "${describe(tokens[i])}" ${where(tokens[i])}`);
  return expr;
}

function describe(t: Token | undefined): string {
  if (!t) return '';
  return t.kind === 'num' ? String(t.value) : t.text;
}

function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  if (expr.type === 'and' || expr.type === 'or') {
    walk(expr.left, visit);
    walk(expr.right, visit);
  } else if (expr.type === 'not') walk(expr.expr, visit);
}

/** The fields and flags a threshold names (`value` for a bare comparison); [] when it does not parse. */
export function thresholdNames(source: string): string[] {
  const names: string[] = [];
  try {
    walk(parseCondition(source), (e) => {
      if (e.type === 'compare') names.push(e.field);
      if (e.type === 'flag') names.push(e.flag);
    });
  } catch {
    return [];
  }
  return names;
}

/** Null when `source` is a valid threshold (no check statuses in it), else what is wrong. */
export function thresholdProblem(source: string): string | null {
  try {
    let problem: string | null = null;
    walk(parseCondition(source), (e) => {
      if (e.type === 'status')
        problem ??= `"${e.check} ${e.op} ${e.status}" compares a check status; thresholds compare values such as ">= 90"`;
    });
    return problem;
  } catch (error) {
    return error instanceof ConditionError ? error.message : String(error);
  }
}

/** Null when `source` is a valid decision over the named checks, else what is wrong. */
export function decisionProblem(source: string, checkIds: readonly string[]): string | null {
  try {
    let problem: string | null = null;
    walk(parseCondition(source), (e) => {
      if (e.type === 'compare' || e.type === 'flag')
        problem ??= `a decision compares check statuses, e.g. "pool_usage == critical"; "${e.type === 'flag' ? e.flag : e.field}" is not one`;
      if (e.type === 'status' && !checkIds.includes(e.check))
        problem ??= `no check "${e.check}" (checks: ${checkIds.join(', ') || 'none'})`;
    });
    return problem;
  } catch (error) {
    return error instanceof ConditionError ? error.message : String(error);
  }
}

/** One measured thing of a check: a URL, a series, a row. Fields are numbers or flags. */
export type Item = Record<string, number | boolean | string | null | undefined>;

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function quantify(items: readonly Item[], q: Quantifier | null, test: (item: Item) => boolean): boolean {
  // No quantifier means "any": a threshold flags the worst item, like an alert on any instance.
  if (q === 'all') return items.length > 0 && items.every(test);
  if (q === 'none') return !items.some(test);
  return items.some(test);
}

/**
 * Evaluates a threshold over a check's items. A field an item lacks never matches a comparison, so a
 * typo cannot make a check look bad or good by accident; the caller reports unknown fields separately.
 */
export function evaluateThreshold(expr: Expr, items: readonly Item[]): boolean {
  switch (expr.type) {
    case 'and':
      return evaluateThreshold(expr.left, items) && evaluateThreshold(expr.right, items);
    case 'or':
      return evaluateThreshold(expr.left, items) || evaluateThreshold(expr.right, items);
    case 'not':
      return !evaluateThreshold(expr.expr, items);
    case 'compare':
      return quantify(items, expr.quantifier, (item) => {
        const v = item[expr.field];
        return typeof v === 'number' && Number.isFinite(v) && compare(v, expr.op, expr.value);
      });
    case 'flag':
      return quantify(items, expr.quantifier, (item) => item[expr.flag] === true);
    case 'status':
      throw new ConditionError('a threshold cannot compare check statuses');
  }
}

/** Evaluates a decision over the statuses of the run; a check that did not run is treated as an error. */
export function evaluateDecision(expr: Expr, statuses: Readonly<Record<string, CheckStatus>>): boolean {
  switch (expr.type) {
    case 'and':
      return evaluateDecision(expr.left, statuses) && evaluateDecision(expr.right, statuses);
    case 'or':
      return evaluateDecision(expr.left, statuses) || evaluateDecision(expr.right, statuses);
    case 'not':
      return !evaluateDecision(expr.expr, statuses);
    case 'status':
      return compare(STATUS_RANK[statuses[expr.check] ?? 'error'], expr.op, STATUS_RANK[expr.status]);
    case 'compare':
    case 'flag':
      throw new ConditionError('a decision compares check statuses only');
  }
}
