import type { CustomRoute } from '@slack/bolt';

/** Liveness: the process answers; /readyz says whether it can do its work. */
export function healthRoute(): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    },
  };
}
