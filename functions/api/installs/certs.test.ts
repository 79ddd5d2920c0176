import { describe, expect, it } from 'vitest';
import { adminExpiry } from '../../../runner/install/certs';
import { CERT_WARN_DAYS, certificateCheck } from './certs';

const NOW = new Date('2026-12-07T12:00:00Z');
const inDays = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();
const managed = (metadata: Record<string, unknown>) => ({
  name: 'dev-k8s',
  clusterSource: 'platform_managed',
  metadata,
});

describe('the certificates preview check', () => {
  it('warns from 30 days before the expiry, naming its source and age', () => {
    const [c] = certificateCheck(
      managed({ cert_expires_at: inDays(CERT_WARN_DAYS - 1), cert_checked_at: inDays(-3) }),
      NOW,
    );
    expect(c).toMatchObject({ name: 'certificates', status: 'warn' });
    expect(c!.detail).toContain('expires on 2027-01-05, in 29 days');
    expect(c!.detail).toContain(
      'source: kubeadm certs check-expiration on the control plane, read 3 day(s) ago',
    );
    expect(c!.detail).toContain('/certificates/renew');
    expect(certificateCheck(managed({ cert_expires_at: inDays(-1) }), NOW)[0]!.detail).toMatch(
      /expired on .*read at an unknown time/,
    );
  });

  it('passes further out, and says nothing without a date or for a cluster the platform did not make', () => {
    expect(certificateCheck(managed({ cert_expires_at: inDays(CERT_WARN_DAYS + 5) }), NOW)[0]!.status).toBe(
      'pass',
    );
    expect(certificateCheck(managed({}), NOW)).toEqual([]);
    expect(
      certificateCheck(
        { ...managed({ cert_expires_at: inDays(1) }), clusterSource: 'external_managed' },
        NOW,
      ),
    ).toEqual([]);
    expect(certificateCheck(undefined, NOW)).toEqual([]);
  });

  it("reads admin.conf's expiry from kubeadm certs check-expiration", () => {
    const out = `CERTIFICATE   EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
admin.conf    Dec 07, 2027 22:00 UTC   364d            ca                      no
apiserver     Dec 07, 2027 22:00 UTC   364d            ca                      no`;
    expect(adminExpiry(out)).toBe('2027-12-07T22:00:00.000Z');
    expect(adminExpiry('no such line')).toBeNull();
  });
});
