import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const HEALTH_LINE = /health and metrics on http:\/\/[^:]+:(\d+)/;

/**
 * One service as a child process, as deployed (`main.ts` under tsx): its output is kept, the port of its health
 * endpoint is read from its log, and its exit code is awaited. Used by drills and by specs that kill or break
 * a service.
 */
export class ServiceProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private exitSignal: NodeJS.Signals | null = null;

  constructor(
    readonly app: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'apps', app, 'src', 'main.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, HTTP_PORT: '0', LOG_LEVEL: 'log', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitSignal = signal;
        resolve(code);
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.exitSignal === null;
  }

  /** The health endpoint's port, once the service has logged it. */
  healthPort(): number | undefined {
    for (const line of this.output) {
      const match = HEALTH_LINE.exec(line);
      if (match?.[1]) return Number(match[1]);
    }
    return undefined;
  }

  /** GET a path of the health server: status and body, or undefined when it does not answer. */
  async get(route: string): Promise<{ status: number; body: string } | undefined> {
    const port = this.healthPort();
    if (port === undefined) return undefined;
    try {
      const res = await fetch(`http://127.0.0.1:${port}${route}`);
      return { status: res.status, body: await res.text() };
    } catch {
      return undefined;
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.running) this.child.kill(signal);
  }

  async stop(): Promise<void> {
    this.kill('SIGTERM');
    await this.exited;
  }
}
