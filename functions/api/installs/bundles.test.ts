import { describe, expect, it } from 'vitest';
import { Manifest } from '../../../shared/install/manifest';
import { TEST_MANIFEST } from '../../../test/support/installs';
import { bundlesView } from './bundles';

describe('bundlesView', () => {
  it('is empty where the platform ships no bundles', () => {
    expect(bundlesView(null)).toEqual({ runtimes: [], items: [] });
  });

  it('orders versions by their numbers, not as text', () => {
    const m = Manifest.parse({
      ...TEST_MANIFEST,
      bundles: ['1.9.0-test', '1.10.0-test', '1.2.0-test'].map((version) => ({
        ...TEST_MANIFEST.bundles[2]!,
        version,
      })),
    });
    const view = bundlesView(m);
    expect(view.runtimes).toEqual(['k8s']);
    expect(view.items.map((b) => b.version)).toEqual(['1.10.0-test', '1.9.0-test', '1.2.0-test']);
    // Sorting the view leaves the manifest the platform checks requests against as it was.
    expect(m.bundles.map((b) => b.version)).toEqual(['1.9.0-test', '1.10.0-test', '1.2.0-test']);
  });
});
