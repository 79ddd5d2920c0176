import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export type PinnedAnswer = { status: number };

/** What a provider may answer that is worth keeping is its status; bodies are read no further. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * One POST to `url`, connected to `address` (the one `checkOutboundUrl` approved) while the Host
 * header and TLS server name stay the URL's, so a DNS answer that changed since the check is never
 * used. No redirects are followed: a redirect could lead anywhere the check did not look.
 */
export function pinnedPost(
  url: URL,
  address: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<PinnedAnswer> {
  const family = isIP(address) === 6 ? 6 : 4;
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as never as AllCallback)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(init.body, 'utf8');
  return new Promise<PinnedAnswer>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': String(body.length) },
        lookup,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_BODY_BYTES) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    // The whole exchange, not just an idle socket: a provider trickling bytes cannot hold the caller.
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${init.timeoutMs} ms`)),
      init.timeoutMs,
    );
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

type AllCallback = (
  err: NodeJS.ErrnoException | null,
  addresses: { address: string; family: number }[],
) => void;
