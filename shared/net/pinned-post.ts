import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export type PinnedPost = {
  url: URL;
  /** The address `checkOutboundUrl` approved: the connection goes there and nowhere else. */
  address: string;
  headers: Record<string, string>;
  body: string;
  /** For the whole exchange, not just an idle socket: a receiver trickling bytes cannot hold the caller. */
  timeoutMs: number;
};

/** An answer (any status: redirects are answers, never followed) or why there was none. */
export type PostOutcome = { ok: true; status: number; excerpt: string } | { ok: false; error: string };

/** Only the start of a receiver's answer is kept, for the attempt's record. */
const EXCERPT_BYTES = 256;

/**
 * POSTs to a URL while connecting to an address fixed beforehand: the URL keeps its host for the
 * Host header and the TLS server name (so certificates are checked against the name), but the
 * socket's lookup answers the pinned address, so a DNS answer that changes between the check and
 * the call (rebinding) changes nothing. No redirects are followed: a redirect could lead anywhere
 * the check did not look. Never throws: a failure is an outcome the caller records.
 */
export function pinnedPost(req: PinnedPost): Promise<PostOutcome> {
  const family = isIP(req.address) === 6 ? 6 : 4;
  const lookup: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as never as AllCallback)(null, [{ address: req.address, family }]);
    else cb(null, req.address, family);
  };
  const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(req.body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const settle = (o: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const request = send(
      req.url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(body.length) },
        lookup,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          // Enough for the record: the rest is not read (a huge or endless answer costs nothing).
          if (size >= EXCERPT_BYTES) res.destroy();
        });
        const done = () =>
          settle({
            ok: true,
            status: res.statusCode ?? 0,
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
          });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      settle({ ok: false, error: `no answer within ${req.timeoutMs} ms` });
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (e: NodeJS.ErrnoException) => settle({ ok: false, error: connectionError(e) }));
    request.end(body);
  });
}

/** The error's code and a message without the address details a receiver's operator already knows. */
function connectionError(e: NodeJS.ErrnoException): string {
  return e.code ? `connection failed (${e.code})` : `connection failed (${e.message.slice(0, 120)})`;
}

type AllCallback = (
  err: NodeJS.ErrnoException | null,
  addresses: { address: string; family: number }[],
) => void;
