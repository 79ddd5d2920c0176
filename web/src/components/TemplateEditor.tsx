import { yaml } from '@codemirror/lang-yaml';
import { Text } from '@mantine/core';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useId, useMemo } from 'react';

/** A YAML editor for a service's template, labelled for screen readers and tests. */
export function TemplateEditor(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  const id = useId();
  const extensions = useMemo(
    () => [
      yaml(),
      EditorView.contentAttributes.of({ 'aria-label': props.label, 'aria-describedby': `${id}-hint` }),
    ],
    [props.label, id],
  );
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        {props.label}
      </Text>
      <CodeMirror
        value={props.value}
        height="280px"
        extensions={extensions}
        onChange={props.onChange}
        basicSetup={{ foldGutter: false }}
        // The scroller is a scrollable region: keyboard users must be able to reach it.
        onCreateEditor={(view) => {
          view.scrollDOM.tabIndex = 0;
        }}
      />
      <Text size="xs" c={props.error ? 'red' : 'dimmed'} id={`${id}-hint`}>
        {/* biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is the templates' own placeholder syntax */}
        {props.error ?? 'Use ${NAME} for values given at release time.'}
      </Text>
    </div>
  );
}
