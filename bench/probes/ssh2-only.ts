import ssh2 from 'ssh2';

/** Only the ssh2 package, which the API loads at import (private-key parsing). */
const loaded = typeof ssh2.utils.parseKey === 'function';

export const handler = async () => ({
  statusCode: loaded ? 200 : 500,
  headers: { 'content-type': 'application/json' },
  body: '{"status":"ok"}',
});
