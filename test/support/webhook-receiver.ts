import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A real HTTP endpoint standing where the bank's integration would; `failFirst` answers 503 that many times. */
export async function startWebhookReceiver(options: { failFirst?: number } = {}): Promise<{
  url: string;
  received: ReceivedHook[];
  attempts: () => number;
  close(): Promise<void>;
}> {
  const received: ReceivedHook[] = [];
  let attempts = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts += 1;
      if (attempts <= (options.failFirst ?? 0)) {
        res.writeHead(503).end();
        return;
      }
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/kyc-hook`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
