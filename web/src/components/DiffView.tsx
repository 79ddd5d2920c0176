import { Text } from '@mantine/core';
import { html } from 'diff2html';
import { useMemo } from 'react';

/**
 * The change as a reviewer reads it, from the API's unified diff (secrets already `***`).
 * diff2html escapes the text it is given, so the markup holds no content of the diff as HTML.
 */
export function DiffView({ unified }: { unified: string }) {
  const markup = useMemo(() => {
    if (!unified.trim()) return '';
    // The API's patch names its two sides already; only a bare hunk needs them added.
    const withHeader = /^--- /m.test(unified) ? unified : `--- running\n+++ this release\n${unified}`;
    return html(withHeader, { drawFileList: false, outputFormat: 'line-by-line', matching: 'lines' });
  }, [unified]);
  if (!markup)
    return (
      <Text c="dimmed" size="sm">
        No change against what runs now.
      </Text>
    );
  return (
    <section
      className="diff-view"
      aria-label="Diff"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll it by keyboard
      tabIndex={0}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: diff2html output, with the diff text escaped
      dangerouslySetInnerHTML={{ __html: markup }}
    />
  );
}
