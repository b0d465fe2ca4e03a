/** Parent side of one execution environment: a forked runner.mjs that keeps a handler loaded. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./runner.mjs', import.meta.url));

export interface EnvironmentSpec {
  functionName: string;
  version: string;
  directory: string;
  handler: string;
  logFormat: 'Text' | 'JSON';
  memorySize: number;
  environment: Record<string, string>;
  region: string;
}

export interface ErrorShape {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export interface InitResult {
  /** Wall time from fork to the handler module being loaded. */
  initMs: number;
  error?: ErrorShape;
  lines: string[];
}

export type RunResult =
  | {
      kind: 'completed';
      payload?: string;
      error?: ErrorShape;
      cpuMs: number;
      wallMs: number;
      maxRssKb: number;
      lines: string[];
    }
  | { kind: 'timeout'; wallMs: number }
  | { kind: 'exited'; wallMs: number; reason: string };

interface RunRequest {
  requestId: string;
  event: unknown;
  invokedFunctionArn: string;
  timeoutMs: number;
}

export class ExecutionEnvironment {
  private readonly child: ChildProcess;
  readonly ready: Promise<InitResult>;
  private running?: { requestId: string; started: number; finish: (r: RunResult) => void };
  private exited = false;
  private exitReason = '';
  busy = false;
  lastUsed = Date.now();

  constructor(
    readonly key: string,
    readonly spec: EnvironmentSpec,
  ) {
    const started = performance.now();
    this.child = fork(RUNNER, [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'UTC',
        LANG: 'en_US.UTF-8',
        AWS_REGION: spec.region,
        AWS_DEFAULT_REGION: spec.region,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
        AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: spec.version,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
        AWS_LAMBDA_LOG_FORMAT: spec.logFormat,
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
        LAMBDA_TASK_ROOT: spec.directory,
        ...spec.environment,
      },
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitReason = signal ? `signal: ${signal.replace('SIG', '').toLowerCase()}` : `exit status ${code}`;
      const run = this.running;
      this.running = undefined;
      run?.finish({ kind: 'exited', wallMs: performance.now() - run.started, reason: this.exitReason });
    });
    this.child.on('error', () => {
      /* reported through 'exit' */
    });
    this.ready = new Promise<InitResult>((resolve) => {
      const onMessage = (msg: { type: string; error?: ErrorShape; lines: string[] }): void => {
        if (msg.type !== 'ready') return;
        this.child.off('message', onMessage);
        resolve({ initMs: performance.now() - started, error: msg.error, lines: msg.lines });
      };
      this.child.on('message', onMessage);
      this.child.once('exit', () =>
        resolve({
          initMs: performance.now() - started,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `Runtime exited with error: ${this.exitReason}`,
            trace: [],
          },
          lines: [],
        }),
      );
      this.child.send({
        type: 'init',
        directory: spec.directory,
        handler: spec.handler,
        logFormat: spec.logFormat,
      });
    });
    this.child.on('message', (msg: { type: string; requestId?: string } & Record<string, unknown>) => {
      if (msg.type !== 'result' || !this.running || msg.requestId !== this.running.requestId) return;
      const run = this.running;
      this.running = undefined;
      run.finish({
        kind: 'completed',
        payload: msg.payload as string | undefined,
        error: msg.error as ErrorShape | undefined,
        cpuMs: msg.cpuMs as number,
        wallMs: msg.wallMs as number,
        maxRssKb: msg.maxRssKb as number,
        lines: msg.lines as string[],
      });
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Runs one call; past the timeout the process is killed, as Lambda resets a timed-out sandbox. */
  run(req: RunRequest): Promise<RunResult> {
    if (this.exited) return Promise.resolve({ kind: 'exited', wallMs: 0, reason: this.exitReason });
    return new Promise<RunResult>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        if (this.running?.requestId !== req.requestId) return;
        this.running = undefined;
        this.kill();
        resolve({ kind: 'timeout', wallMs: performance.now() - started });
      }, req.timeoutMs);
      this.running = {
        requestId: req.requestId,
        started,
        finish: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.child.send({
        type: 'invoke',
        requestId: req.requestId,
        event: req.event,
        functionName: this.spec.functionName,
        functionVersion: this.spec.version,
        invokedFunctionArn: req.invokedFunctionArn,
        memorySize: this.spec.memorySize,
        timeoutMs: req.timeoutMs,
      });
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Resolves once the process is gone (used by stop()). */
  async terminate(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}
