import type { Runbook } from './model.ts';
import { splitCatalog } from './phases.ts';

export interface SearchHit {
  runbook: Runbook;
  score: number;
  /** Which fields matched, shown to the searcher. */
  matched: string[];
}

/** RUN-000 is the process checklist applied to every incident, never a scenario match. */
export const PROCESS_RUNBOOK_ID = 'RUN-000';

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'is',
  'on',
  'in',
  'of',
  'to',
  'for',
  'and',
  'or',
  'high',
  'low',
  'p0',
  'p1',
  'p2',
  'p3',
]);
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_:]*$/;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
}

/**
 * Index of loaded runbooks: by ID, by alert name or monitor ID, and by symptom/component keywords. An alert
 * catalogue file is indexed as one runbook per alert (`<file id>#<Alert>`, see splitCatalog), so a page for
 * one alert opens that alert's section; `runbooks` stays one entry per file for listings.
 */
export class RunbookCatalog {
  private readonly byIdMap = new Map<string, Runbook>();
  private readonly byAlertMap = new Map<string, Runbook[]>();
  /** What pages, searches and incidents can open: every file's runbook, catalogues split per alert. */
  readonly openable: readonly Runbook[];

  constructor(readonly runbooks: readonly Runbook[]) {
    this.openable = runbooks.flatMap((rb) =>
      rb.source.layout === 'catalog' ? [rb, ...splitCatalog(rb)] : [rb],
    );
    for (const rb of this.openable) {
      this.byIdMap.set(rb.id.toUpperCase(), rb);
      for (const key of alertKeys(rb)) {
        const list = this.byAlertMap.get(key) ?? [];
        if (!list.includes(rb)) list.push(rb);
        this.byAlertMap.set(key, list);
      }
    }
  }

  byId(id: string): Runbook | undefined {
    return this.byIdMap.get(id.trim().toUpperCase());
  }

  /** Runbooks for an alert name (`PostgresConnectionPoolHigh`) or a monitor ID (`MON-005`). */
  forAlert(name: string): Runbook[] {
    return this.byAlertMap.get(name.trim().toLowerCase()) ?? [];
  }

  /** Ranked keyword search over alerts, symptoms, components, service, title and category. */
  search(query: string): SearchHit[] {
    const terms = words(query);
    if (terms.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const rb of this.openable) {
      let score = 0;
      const matched = new Set<string>();
      const fields: [string, string[], number][] = [
        ['alert', [...rb.meta.alerts, ...rb.meta.monitors], 4],
        ['symptom', rb.meta.symptoms, 3],
        ['component', rb.meta.components, 3],
        ['service', rb.meta.service ? [rb.meta.service] : [], 2],
        ['title', [rb.title, rb.id], 2],
        ['category', rb.category ? [rb.category] : [], 1],
      ];
      for (const [field, values, weight] of fields) {
        const fieldWords = new Set(values.flatMap(words));
        const phrase = values.map((v) => v.toLowerCase());
        for (const term of terms) {
          if (fieldWords.has(term)) {
            score += weight;
            matched.add(field);
          }
        }
        if (phrase.some((p) => p.length > 3 && query.toLowerCase().includes(p))) {
          score += weight * 2;
          matched.add(field);
        }
      }
      if (score > 0) hits.push({ runbook: rb, score, matched: [...matched] });
    }
    return hits.sort((a, b) => b.score - a.score || a.runbook.id.localeCompare(b.runbook.id));
  }

  /** The scenario runbook an incident title points to, if any keyword is a clear match. */
  matchTitle(title: string): Runbook | undefined {
    return this.search(title).find((h) => h.runbook.id !== PROCESS_RUNBOOK_ID && h.score >= 3)?.runbook;
  }
}

/** Alert keys: front matter triggers, IDs and names in the `Trigger:` line, and an H1 that is an alert name. */
function alertKeys(rb: Runbook): string[] {
  // The whole catalogue file answers no alert: its split runbooks do, one alert each.
  if (rb.source.layout === 'catalog' && !rb.source.alert) return [];
  const keys = [...rb.meta.alerts, ...rb.meta.monitors];
  if (rb.trigger) {
    keys.push(...(rb.trigger.match(/\b[A-Z][A-Z0-9]{1,9}-\d+\b/g) ?? []));
    keys.push(...(rb.trigger.match(/\b[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+\b/g) ?? []));
  }
  if (rb.source.layout !== 'run' && ALERT_NAME.test(rb.title.replace(/\s*\[deprecated\]\s*$/i, ''))) {
    keys.push(rb.title.replace(/\s*\[deprecated\]\s*$/i, ''));
  }
  return [...new Set(keys.map((k) => k.toLowerCase()))];
}
