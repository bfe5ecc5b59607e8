import { startVendorFake, type VendorFake } from './fakeVendor.ts';

export const JIRA_EMAIL = 'incident-bot@example.com';
export const JIRA_TOKEN = 'ATATT3xFfGF0-test-token';
export const JIRA_PROJECT = 'OPS';

export interface JiraIssue {
  key: string;
  summary: string;
  issuetype: string;
  labels: string[];
  duedate: string | null;
  description: unknown;
}

/**
 * A fake Jira Cloud platform REST API v3 on 127.0.0.1: checks requests against Atlassian's published
 * description (test/fixtures/jira/platform-v3-subset.json) and basic auth with an API token, checks the
 * create fields Jira itself checks (project, issue type, summary, an ADF description, the due date), keeps the
 * project's issues, and answers as Jira does, including queued 5xx and 429 with Retry-After.
 */
export interface FakeJira extends VendorFake {
  issues: JiraIssue[];
  /** The next create is made, but its answer is lost (a 504 from the proxy in front of Jira). */
  loseNextCreate(): void;
}

const basic = `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64')}`;
const notFound = (what: string) => ({ errorMessages: [what], errors: {} });

function createProblems(fields: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const project = fields.project as { key?: string } | undefined;
  if (project?.key !== JIRA_PROJECT) errors.project = 'Specify a valid project ID or key';
  if ((fields.issuetype as { name?: string } | undefined)?.name !== 'Task')
    errors.issuetype = 'Specify an issue type';
  if (typeof fields.summary !== 'string' || !fields.summary.trim())
    errors.summary = 'You must specify a summary of the issue.';
  else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
  const doc = fields.description as { type?: string; version?: number; content?: unknown[] } | undefined;
  if (doc && (doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)))
    errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
  if (fields.duedate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(fields.duedate)))
    errors.duedate = 'Error parsing date string: use yyyy-MM-dd.';
  return errors;
}

export async function startFakeJira(): Promise<FakeJira> {
  const issues: JiraIssue[] = [];
  let loseCreate = false;
  const fake = await startVendorFake({
    subset: 'test/fixtures/jira/platform-v3-subset.json',
    authorized: (headers) => headers.authorization === basic,
    unauthorized: notFound('Client must be authenticated to access this resource.'),
    invalid: (problems) => ({ status: 400, body: { errorMessages: problems, errors: {} } }),
    fault: (status) =>
      status === 429 ? notFound('Rate limit exceeded.') : notFound('Internal server error'),
    route: ({ method, path, url, body }, answer) => {
      if (method === 'GET' && path === '/rest/api/3/myself')
        return answer(200, {
          accountId: '5b10ac8d82e05b22cc7d4ef5',
          emailAddress: JIRA_EMAIL,
          displayName: 'Incident Bot',
          active: true,
        });
      if (method === 'GET' && path.startsWith('/rest/api/3/project/')) {
        const key = decodeURIComponent(path.slice('/rest/api/3/project/'.length));
        return key === JIRA_PROJECT
          ? answer(200, { id: '10000', key, name: 'Operations' })
          : answer(404, notFound(`No project could be found with key '${key}'.`));
      }
      if (method === 'GET' && path === '/rest/api/3/search/jql') {
        const label = /labels = "([^"]+)"/.exec(url.searchParams.get('jql') ?? '')?.[1];
        const found = issues.filter((i) => label && i.labels.includes(label));
        return answer(200, { issues: found.map((i) => ({ id: i.key, key: i.key })), isLast: true });
      }
      if (method === 'POST' && path === '/rest/api/3/issue') {
        const fields = ((body as { fields?: Record<string, unknown> }).fields ?? {}) as Record<
          string,
          unknown
        >;
        const errors = createProblems(fields);
        if (Object.keys(errors).length) return answer(400, { errorMessages: [], errors });
        const key = `${JIRA_PROJECT}-${issues.length + 41}`;
        issues.push({
          key,
          summary: fields.summary as string,
          issuetype: 'Task',
          labels: (fields.labels as string[] | undefined) ?? [],
          duedate: (fields.duedate as string | undefined) ?? null,
          description: fields.description,
        });
        if (loseCreate) {
          loseCreate = false;
          return answer(504, notFound('Gateway timeout'));
        }
        return answer(201, {
          id: String(10_000 + issues.length),
          key,
          self: `${url.origin}/rest/api/3/issue/${key}`,
        });
      }
      answer(404, notFound('Not found'));
    },
  });
  return {
    ...fake,
    issues,
    loseNextCreate: () => {
      loseCreate = true;
    },
  };
}
