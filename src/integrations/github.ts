import type { Octokit } from '@octokit/rest';
import { IntegrationError, retryAfterMs, translatingErrors } from './errors.ts';
import type { FollowupIssue, IssueTracker, TrackerIssue } from './tracker.ts';

export interface GitHubSettings {
  token: string;
  /** owner/name */
  repository: string;
  apiUrl: string;
}

export interface NewIssue {
  title: string;
  body: string;
  /** Found again by this marker when a create's answer was lost. */
  marker: string;
  since: string;
}

export const FOLLOWUP_LABEL = 'incident-followup';

/** Follow-up issues in one repository, through GitHub's own client (@octokit/rest). */
export class GitHubIssues implements IssueTracker {
  readonly system = 'github';
  readonly #settings: GitHubSettings;
  readonly #fetch: typeof fetch | undefined;
  #client: Promise<Octokit> | null = null;
  readonly #owner: string;
  readonly #repo: string;

  constructor(settings: GitHubSettings, fetchImpl?: typeof fetch) {
    this.#settings = settings;
    this.#fetch = fetchImpl;
    const [owner = '', repo = ''] = settings.repository.split('/');
    this.#owner = owner;
    this.#repo = repo;
  }

  async file(issue: FollowupIssue): Promise<TrackerIssue> {
    const created = await this.create({
      title: issue.title,
      body: issue.body,
      marker: `<!-- incident-bot follow-up ${issue.followupId} -->`,
      since: issue.since,
    });
    return { ref: `${this.#owner}/${this.#repo}#${created.number}`, url: created.url };
  }

  /** Creates the issue unless one carrying `marker` exists since `since` (a retried create whose answer was lost). */
  async create(issue: NewIssue): Promise<{ number: number; url: string }> {
    const existing = await this.#guard('find an earlier try', (octokit) =>
      octokit.rest.issues.listForRepo({
        owner: this.#owner,
        repo: this.#repo,
        labels: FOLLOWUP_LABEL,
        state: 'all',
        since: issue.since,
        per_page: 100,
      }),
    );
    const found = existing.data.find((i) => i.body?.includes(issue.marker));
    if (found) return { number: found.number, url: found.html_url };
    const created = await this.#guard('create an issue', (octokit) =>
      octokit.rest.issues.create({
        owner: this.#owner,
        repo: this.#repo,
        title: issue.title,
        body: `${issue.body}\n\n${issue.marker}`,
        labels: [FOLLOWUP_LABEL],
      }),
    );
    return { number: created.data.number, url: created.data.html_url };
  }

  /** The repository, read with the token: proves both exist and the token may see it. */
  async repository(): Promise<{ fullName: string; canPush: boolean }> {
    const { data } = await this.#guard('read the repository', (octokit) =>
      octokit.rest.repos.get({ owner: this.#owner, repo: this.#repo }),
    );
    return { fullName: data.full_name, canPush: data.permissions?.push ?? false };
  }

  #guard<T>(what: string, call: (octokit: Octokit) => Promise<T>): Promise<T> {
    return translatingErrors(what, async () => call(await this.#octokit()), toIntegrationError);
  }

  /** Made on the first call: a bot that files no GitHub issues never loads Octokit (~6 MiB of modules). */
  #octokit(): Promise<Octokit> {
    this.#client ??= import('@octokit/rest').then(
      ({ Octokit }) =>
        new Octokit({
          auth: this.#settings.token,
          baseUrl: this.#settings.apiUrl,
          userAgent: 'incident-bot',
          ...(this.#fetch ? { request: { fetch: this.#fetch } } : {}),
        }),
    );
    return this.#client;
  }
}

/** Octokit's RequestError: 5xx, 429 and a spent rate limit (403 with x-ratelimit-remaining 0) are retried. */
function toIntegrationError(what: string, error: unknown): IntegrationError {
  const { status, response, message } = error as {
    status?: number;
    message?: string;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (typeof status !== 'number')
    return new IntegrationError(`GitHub unreachable to ${what}: ${String(message ?? error)}`, true);
  const headers = response?.headers ?? {};
  const limited = status === 429 || (status === 403 && headers['x-ratelimit-remaining'] === '0');
  const reset = Number(headers['x-ratelimit-reset']);
  const wait =
    retryAfterMs(headers['retry-after'] ?? null) ??
    (limited && Number.isFinite(reset) ? Math.max(0, reset * 1000 - Date.now()) : null);
  return new IntegrationError(
    `GitHub answered ${status} to ${what}: ${String(message ?? '').slice(0, 300)}`,
    limited || status >= 500,
    limited ? wait : null,
  );
}
