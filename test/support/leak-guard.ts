/**
 * Records every HTTP response body and log line a test file produces, and every secret the tests
 * create; test/setup.ts fails the file if any secret shows up in what was recorded.
 */
const secrets = new Set<string>();
const recorded: string[] = [];

/**
 * Watches for the value as written and as it appears inside a JSON string (a PEM's newlines are
 * escaped there), so a secret echoed in a response body is caught either way.
 */
export function registerSecret(value: string): string {
  if (value.length < 8) return value;
  secrets.add(value);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) secrets.add(escaped);
  return value;
}

export function recordResponse(text: string): void {
  recorded.push(text);
}

export const captureLogs =
  (into: string[]) =>
  (line: string): void => {
    into.push(line);
    recorded.push(line);
  };

export function findLeaks(): { secret: string; where: string }[] {
  const leaks: { secret: string; where: string }[] = [];
  for (const s of secrets) {
    const hit = recorded.find((t) => t.includes(s));
    // Only a short prefix of the secret goes into the failure message.
    if (hit) leaks.push({ secret: `${s.slice(0, 3)}…`, where: hit.slice(0, 200).replaceAll(s, '<SECRET>') });
  }
  return leaks;
}

export const recordedCount = () => recorded.length;
