/**
 * Tuning a version or alias: Lambda changes memory only on `$LATEST`, so the tuner measures
 * `$LATEST`'s code. That answers for the named version only when both run the same code
 * (the same CodeSha256); otherwise the run refuses, unless allowCodeMismatch says to go on.
 */

export interface QualifiedCode {
  functionName: string;
  /** The version or alias as given. */
  qualifier: string;
  /** The version it resolves to (an alias's primary version). */
  version: string;
  codeSha256: string;
  latestCodeSha256: string;
}

/** Why the run must not go on, or undefined when the code matches (or a mismatch is allowed). */
export function codeMismatchProblem(code: QualifiedCode, allowCodeMismatch: boolean): string | undefined {
  if (code.codeSha256 === code.latestCodeSha256 || allowCodeMismatch) return undefined;
  const named =
    code.qualifier === code.version
      ? `version ${code.version}`
      : `${code.qualifier} (version ${code.version})`;
  return (
    `${code.functionName}:${code.qualifier} runs other code than $LATEST: ${named} has CodeSha256 ` +
    `${code.codeSha256}, $LATEST has ${code.latestCodeSha256}. Memory can be changed only on $LATEST, so the ` +
    `tuning would measure $LATEST's code, not ${named}'s. Deploy that code to $LATEST first, tune the ` +
    'unqualified function, or set allowCodeMismatch (--allow-code-mismatch) to tune $LATEST anyway.'
  );
}
