/**
 * PostgreSQL refuses to run as root. When we are root (CI, containers), its commands run as the
 * `postgres` account (Debian's package creates it) or `nobody`, through util-linux's setpriv, which
 * execs the command in place so the process group and pid stay the ones we started.
 */
import { runCapture } from '../exec.js';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

async function lookup(user: string): Promise<RunAs | undefined> {
  try {
    const { stdout } = await runCapture('getent', ['passwd', user], { timeoutMs: 5000 });
    const [, , uid, gid] = stdout.trim().split(':');
    const ids = [Number(uid), Number(gid)];
    return ids.every((n) => Number.isInteger(n) && n > 0) ? { user, uid: ids[0]!, gid: ids[1]! } : undefined;
  } catch {
    return undefined;
  }
}

/** The account to run PostgreSQL as, or undefined when we are not root (then it runs as us). */
export async function postgresAccount(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const account = (await lookup('postgres')) ?? (await lookup('nobody'));
  if (!account)
    throw new Error(
      'running as root, and neither a `postgres` nor a `nobody` account exists to run PostgreSQL as',
    );
  return account;
}

/** `command args` as `account` (unchanged when there is none). */
export function asAccount(account: RunAs | undefined, command: string, args: string[]): [string, string[]] {
  if (!account) return [command, args];
  return [
    'setpriv',
    [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', '--', command, ...args],
  ];
}
