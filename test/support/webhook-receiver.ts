import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { recordResponse } from './leak-guard';

export type Received = { id: string; body: any; verified: boolean };

/**
 * A notification receiver on loopback that checks each message with the `standardwebhooks`
 * package (what receivers use), not with the platform's own code. It can be stopped and started
 * again on the same port, to stand for an endpoint that is down for a while.
 */
export async function webhookReceiver(opts: { status?: number } = {}) {
  const secrets: string[] = [];
  let status = opts.status ?? 204;
  const received: Received[] = [];
  let port = 0;
  let server: Server | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          // What reached the receiver counts for the leak guard like any response body.
          recordResponse(raw);
          const headers = {
            'webhook-id': String(req.headers['webhook-id']),
            'webhook-timestamp': String(req.headers['webhook-timestamp']),
            'webhook-signature': String(req.headers['webhook-signature']),
          };
          const verified = secrets.some((secret) => {
            try {
              new Webhook(secret).verify(raw, headers);
              return true;
            } catch {
              return false;
            }
          });
          received.push({ id: String(req.headers['webhook-id']), body: JSON.parse(raw), verified });
          res.statusCode = verified ? status : 401;
          res.end(verified ? '' : 'bad signature');
        });
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
      server = undefined;
    });

  await start();
  return {
    received,
    url: (path = '/hooks') => `http://127.0.0.1:${port}${path}`,
    get port() {
      return port;
    },
    /** Trust messages signed with this secret too (one receiver may serve several endpoints). */
    trust(s: string) {
      secrets.push(s);
    },
    answer(s: number) {
      status = s;
    },
    start,
    stop,
  };
}
