import { startVendorFake, type VendorFake } from './fakeVendor.ts';

export const GH_TOKEN = 'ghp_testtoken0123456789';
export const GH_REPO = 'acme/platform';

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: { name: string }[];
  state: 'open' | 'closed';
  html_url: string;
  created_at: string;
}

/**
 * A fake GitHub REST API on 127.0.0.1 for follow-up issues: checks requests against test/fixtures/github
 * (token, Accept, content type, body), keeps the repository's issues, and answers as GitHub does,
 * including queued 5xx and 429 with Retry-After.
 */
export interface FakeGitHub extends VendorFake {
  issues: Issue[];
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const issues: Issue[] = [];
  const base = `/repos/${GH_REPO}`;
  const fake = await startVendorFake({
    subset: 'test/fixtures/github/api-subset.json',
    contentType: 'application/json; charset=utf-8',
    authorized: (headers) => headers.authorization === `token ${GH_TOKEN}`,
    unauthorized: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    invalid: (problems) => ({ status: 422, body: { message: 'Validation Failed', errors: problems } }),
    fault: () => ({ message: 'Server Error' }),
    route: ({ method, path, url, body }, answer) => {
      if (method === 'GET' && path === base)
        return answer(200, { full_name: GH_REPO, permissions: { admin: false, push: true, pull: true } });
      if (method === 'GET' && path === `${base}/issues`) {
        const label = url.searchParams.get('labels');
        return answer(
          200,
          issues.filter((i) => !label || i.labels.some((l) => l.name === label)),
        );
      }
      if (method === 'POST' && path === `${base}/issues`) {
        const input = body as { title: string; body?: string; labels?: string[] };
        const number = issues.length + 101;
        const issue: Issue = {
          number,
          title: input.title,
          body: input.body ?? '',
          labels: (input.labels ?? []).map((name) => ({ name })),
          state: 'open',
          html_url: `https://github.com/${GH_REPO}/issues/${number}`,
          created_at: new Date().toISOString(),
        };
        issues.push(issue);
        return answer(201, issue);
      }
      answer(404, { message: 'Not Found' });
    },
  });
  return { ...fake, issues };
}
