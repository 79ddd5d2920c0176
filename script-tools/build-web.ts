import { buildWeb } from '../functions/node/web';

// `npm run build` builds the SPA into dist/web, which the CDK app uploads to the bucket.
buildWeb({ logLevel: 'info' }).catch((e: Error) => {
  console.error(`web build failed: ${e.message}`);
  process.exit(1);
});
