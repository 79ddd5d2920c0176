/**
 * The one Content-Security-Policy of the SPA, sent by `npm start` and by CloudFront alike, so the
 * browser tests check the policy production sends.
 *
 * `style-src` allows inline styles: Mantine writes its theme's CSS variables into a `<style>`
 * element and CodeMirror injects the editor's styles the same way. Scripts stay `'self'` only
 * (Vite emits no inline script), which is what keeps an injected `<script>` from running.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
