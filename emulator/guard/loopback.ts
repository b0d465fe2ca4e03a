/**
 * Which addresses count as "this machine only", and which Host headers a request may carry.
 * The Host check stops DNS rebinding: a web page whose own name was re-pointed at 127.0.0.1 still
 * sends its own name as Host, so only the names the user really dials get through.
 */
import { BlockList, isIP } from 'node:net';

const loopbackAddresses = new BlockList();
loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackAddresses.addAddress('::1', 'ipv6');

/** Names a local client uses to reach a loopback-bound server. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** True when binding `host` keeps the server unreachable from other machines. */
export function isLoopbackBind(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  if (family === 0) return false;
  return loopbackAddresses.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The bound address as a client writes it in Host. A rebinding page sends its own name, never this
 * one, so accepting it is safe; it lets `http://<bound address>:<port>` work as printed.
 */
export function hostNameOfBind(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}

interface HostAndPort {
  name: string;
  port?: number;
}

const HOST_SYNTAX = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/;

/** Parses `name`, `name:port`, `[v6]` or `[v6]:port`; anything else is undefined. */
export function parseHost(value: string): HostAndPort | undefined {
  const m = HOST_SYNTAX.exec(value.trim().toLowerCase());
  if (!m?.[1]) return undefined;
  return m[2] === undefined ? { name: m[1] } : { name: m[1], port: Number(m[2]) };
}

/**
 * True when the Host header names one of `allowed` (loopback names are always included). An entry
 * without a port matches only the port the request arrived on; `*` switches the check off.
 */
export function hostAllowed(
  header: string | undefined,
  localPort: number,
  allowed: readonly string[],
): boolean {
  if (allowed.includes('*')) return true;
  if (header === undefined) return false;
  const presented = parseHost(header);
  if (!presented) return false;
  const port = presented.port ?? 80;
  return [...LOOPBACK_HOST_NAMES, ...allowed].some((entry) => {
    const want = parseHost(entry);
    return want !== undefined && want.name === presented.name && (want.port ?? localPort) === port;
  });
}
