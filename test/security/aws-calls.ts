/**
 * Finds the AWS API calls a source tree makes, as IAM actions: `new <Name>Command(` (with the service
 * taken from the file's `@aws-sdk/client-<service>` import), `waitUntil<X>(` (expanded to the commands
 * the SDK's waiter polls, read from the installed SDK) and `paginate<Name>(`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Commands whose IAM action is not `<service>:<CommandName>`. */
const ACTION_OVERRIDES: Record<string, string> = {
  'lambda:Invoke': 'lambda:InvokeFunction',
  'lambda:InvokeWithResponseStream': 'lambda:InvokeFunction',
  's3:HeadObject': 's3:GetObject',
};

export function iamAction(service: string, command: string): string {
  const plain = `${service}:${command}`;
  return ACTION_OVERRIDES[plain] ?? plain;
}

export function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTsFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/**
 * Maps each name imported from `@aws-sdk/client-<service>` to that service: static imports, and
 * `const { … } = await import('@aws-sdk/client-<service>')` for clients loaded on first use.
 */
function sdkImports(source: string): Map<string, string> {
  const imports = new Map<string, string>();
  const forms = [
    /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]@aws-sdk\/client-([\w-]+)['"]/g,
    /const\s*\{([^}]*)\}\s*=\s*await\s+import\(\s*['"]@aws-sdk\/client-([\w-]+)['"]\s*\)/g,
  ];
  for (const m of forms.flatMap((form) => [...source.matchAll(form)])) {
    for (const spec of (m[1] ?? '').split(',')) {
      const name = spec
        .replace(/^\s*type\s+/, '')
        .split(/\s+as\s+|\s*:\s*/)[0]
        ?.trim();
      if (name) imports.set(name, m[2] as string);
    }
  }
  return imports;
}

/** Commands a waiter polls, from the SDK's own waiter source (`dist-es/waiters/waitFor<X>.js`). */
export function waiterCommands(nodeModules: string, service: string, waiter: string): string[] {
  const file = path.join(
    nodeModules,
    '@aws-sdk',
    `client-${service}`,
    'dist-es',
    'waiters',
    `${waiter.replace(/^waitUntil/, 'waitFor')}.js`,
  );
  const source = fs.readFileSync(file, 'utf8');
  const commands = [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1] as string);
  if (commands.length === 0) throw new Error(`${file}: no command found in waiter ${waiter}`);
  return [...new Set(commands)];
}

export interface FoundCall {
  action: string;
  /** Where it was found, e.g. `activities/cleanup.ts: DeleteAliasCommand`. */
  source: string;
}

/** The IAM actions one file's source needs. `file` only labels the findings. */
export function callsInSource(source: string, file: string, nodeModules: string): FoundCall[] {
  const imports = sdkImports(source);
  const serviceOf = (name: string): string => {
    const service = imports.get(name);
    if (!service)
      throw new Error(`${file}: ${name} is used but not imported from an @aws-sdk/client-* package`);
    return service;
  };
  const found: FoundCall[] = [];
  for (const m of source.matchAll(/\bnew\s+(\w+)Command\s*\(/g)) {
    const command = m[1] as string;
    found.push({
      action: iamAction(serviceOf(`${command}Command`), command),
      source: `${file}: ${command}Command`,
    });
  }
  for (const m of source.matchAll(/\b(waitUntil\w+)\s*\(/g)) {
    const waiter = m[1] as string;
    const service = serviceOf(waiter);
    for (const command of waiterCommands(nodeModules, service, waiter)) {
      found.push({ action: iamAction(service, command), source: `${file}: ${waiter} -> ${command}Command` });
    }
  }
  for (const m of source.matchAll(/\bpaginate(\w+)\s*\(/g)) {
    const command = m[1] as string;
    found.push({
      action: iamAction(serviceOf(`paginate${command}`), command),
      source: `${file}: paginate${command}`,
    });
  }
  return found;
}

export function callsInTree(root: string, dir: string): FoundCall[] {
  const nodeModules = path.join(root, 'node_modules');
  return listTsFiles(path.join(root, dir)).flatMap((file) =>
    callsInSource(fs.readFileSync(file, 'utf8'), path.relative(root, file), nodeModules),
  );
}
