/** Every message and stack trace in an error's cause chain, as the user (or the typed client) sees them. */
export function failureChainText(err: unknown): string {
  const parts: string[] = [];
  for (
    let e = err as { message?: string; stack?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    parts.push(e.message ?? '', e.stack ?? '');
  }
  return parts.join('\n');
}
