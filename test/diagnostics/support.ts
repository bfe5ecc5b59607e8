import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckContext } from '../../src/diagnostics/types.ts';
import { type DiagnosticCheck, DiagnosticCheckSchema } from '../../src/runbooks/model.ts';

export function check(input: Record<string, unknown>): DiagnosticCheck {
  return DiagnosticCheckSchema.parse(input);
}

export function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return { databases: {}, labels: {}, now: () => new Date(), ...overrides };
}

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a free port; close() drops open (hanging) connections too. */
export async function localServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
