import { buildWeb, webBuildIsStale } from '../functions/node/web';

/**
 * Every suite that starts `npm start` would otherwise find the SPA's build stale on a fresh clone
 * and build it itself, several at once and each inside its start-up timeout: build it once here.
 */
export default async function setup() {
  if (webBuildIsStale()) await buildWeb({ logLevel: 'silent' });
}
