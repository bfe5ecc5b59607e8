import type { Version3Client } from 'jira.js';
import { z } from 'zod';
import { IntegrationError, retryAfterMs, translatingErrors } from './errors.ts';
import type { FollowupIssue, IssueTracker, TrackerIssue } from './tracker.ts';

export interface JiraSettings {
  baseUrl: string;
  email: string;
  apiToken: string;
  project: string;
}

/** The label every follow-up carries, and the prefix of the one label that finds it again. */
export const JIRA_FOLLOWUP_LABEL = 'incident-followup';
const ISSUE_TYPE = 'Task';

const FoundSchema = z.looseObject({ issues: z.array(z.looseObject({ key: z.string() })).default([]) });
const CreatedSchema = z.looseObject({ key: z.string() });

type AdfText = { type: 'text'; text: string; marks?: { type: 'link'; attrs: { href: string } }[] };

/** One Atlassian Document Format paragraph per line; URLs become links, so Jira shows them clickable. */
export function toAdf(text: string) {
  const paragraphs = text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => ({
      type: 'paragraph' as const,
      content: line
        .split(/(https?:\/\/\S+)/)
        .filter((part) => part)
        .map(
          (part): AdfText =>
            /^https?:\/\//.test(part)
              ? { type: 'text', text: part, marks: [{ type: 'link', attrs: { href: part } }] }
              : { type: 'text', text: part },
        ),
    }));
  return { type: 'doc' as const, version: 1 as const, content: paragraphs };
}

/** Follow-ups as issues of one Jira Cloud project, through jira.js (REST API v3, basic auth with an API token). */
export class JiraTracker implements IssueTracker {
  readonly system = 'jira';
  #client: Promise<Version3Client> | null = null;

  constructor(private readonly settings: JiraSettings) {}

  /** jira.js takes ~0.7 s to load: only a bot that files a follow-up in Jira pays for it, and only once. */
  #jira(): Promise<Version3Client> {
    this.#client ??= import('jira.js').then(
      ({ Version3Client }) =>
        new Version3Client({
          host: this.settings.baseUrl,
          authentication: { basic: { email: this.settings.email, apiToken: this.settings.apiToken } },
          baseRequestConfig: { timeout: 10_000 },
        }),
    );
    return this.#client;
  }

  /** Creates the issue unless an earlier try (whose answer was lost) did: that one carries the follow-up's label. */
  async file(issue: FollowupIssue): Promise<TrackerIssue> {
    const marker = `incident-bot-followup-${issue.followupId}`;
    const found = FoundSchema.parse(
      await this.#guard('find an earlier try', async () =>
        (await this.#jira()).issueSearch.searchForIssuesUsingJqlEnhancedSearch({
          jql: `project = "${this.settings.project}" AND labels = "${marker}"`,
          fields: ['key'],
          maxResults: 1,
        }),
      ),
    );
    const earlier = found.issues[0];
    if (earlier) return this.#issue(earlier.key);
    const created = CreatedSchema.parse(
      await this.#guard('create an issue', async () =>
        (await this.#jira()).issues.createIssue({
          fields: {
            project: { key: this.settings.project },
            issuetype: { name: ISSUE_TYPE },
            summary: issue.title.slice(0, 255),
            description: toAdf(issue.body),
            labels: [JIRA_FOLLOWUP_LABEL, marker],
            ...(issue.dueDate ? { duedate: issue.dueDate } : {}),
          },
        }),
      ),
    );
    return this.#issue(created.key);
  }

  /** The token's user: proves the email and token work. */
  async whoAmI(): Promise<string> {
    const me = await this.#guard('read the token user', async () =>
      (await this.#jira()).myself.getCurrentUser(),
    );
    return me.displayName ?? me.emailAddress ?? me.accountId ?? this.settings.email;
  }

  /** The project, read with the token: proves it exists and the token's user may browse it. */
  async project(): Promise<{ key: string; name: string }> {
    const project = await this.#guard('read the project', async () =>
      (await this.#jira()).projects.getProject({ projectIdOrKey: this.settings.project }),
    );
    return { key: project.key ?? this.settings.project, name: project.name ?? '' };
  }

  #issue(key: string): TrackerIssue {
    return { ref: key, url: `${this.settings.baseUrl}/browse/${key}` };
  }

  #guard<T>(what: string, call: () => Promise<T>): Promise<T> {
    return translatingErrors(what, call, toIntegrationError);
  }
}

/** jira.js throws HttpException with the status (axios's error, with the headers, as its cause); else a network error. */
function toIntegrationError(what: string, error: unknown): IntegrationError {
  const status = (error as { status?: unknown } | null)?.status;
  if (!(error instanceof Error) || error.name !== 'HttpException' || typeof status !== 'number')
    return new IntegrationError(
      `Jira unreachable to ${what}: ${error instanceof Error ? error.message : String(error)}`,
      true,
    );
  const cause = error.cause as
    | { response?: { headers?: Record<string, unknown>; data?: unknown } }
    | undefined;
  const retryAfter = cause?.response?.headers?.['retry-after'];
  const body = JSON.stringify(cause?.response?.data ?? error.message).slice(0, 300);
  return new IntegrationError(
    `Jira answered ${status} to ${what}: ${body}`,
    status === 429 || status >= 500,
    status === 429 ? retryAfterMs(typeof retryAfter === 'string' ? retryAfter : null) : null,
  );
}
