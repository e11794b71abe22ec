import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalStackConfig } from './config';
import { tailFile } from './proc';

export type Log = (line: string) => void;

const sha256 = (...parts: readonly string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};

const readIfExists = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

export function javaTool(config: LocalStackConfig, tool: 'java' | 'javac'): string {
  return path.join(config.javaHome, 'bin', tool);
}

/** Kafka 3.9 and Neo4j 5.26 need 17; a newer default JDK on PATH must not be picked up by accident. */
export function assertJava17(config: LocalStackConfig): void {
  const release = readIfExists(path.join(config.javaHome, 'release')) ?? '';
  if (!fs.existsSync(javaTool(config, 'java')) || !/JAVA_VERSION="17[."]/.test(release)) {
    throw new Error(`Java 17 not found at ${config.javaHome}; set JAVA_HOME_17 to a JDK 17 home`);
  }
}

/** Runs a command to completion with its output appended to logFile; rejects with the log tail on failure. */
export function runLogged(
  command: string,
  args: readonly string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', fd, fd], env });
    child.once('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      reject(
        new Error(
          `${path.basename(command)} failed (${signal ?? `exit ${code}`}); ${logFile}:\n${tailFile(logFile, 30)}`,
        ),
      );
    });
  }).finally(() => fs.closeSync(fd));
}

/** Runs a command and returns its trimmed stdout (used for StorageTool random-uuid). */
export function runForOutput(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.trim())
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

/** One Maven at a time: concurrent runs can race on the same files in ~/.m2 while downloading. */
let mavenQueue: Promise<unknown> = Promise.resolve();

/**
 * Copies the runtime jars described by `pom` into `libDir` with Maven, unless the jars were already fetched
 * for this exact pom (marker file holds the pom hash). Returns true when Maven ran.
 */
export async function ensureJars(
  config: LocalStackConfig,
  pom: string,
  libDir: string,
  log: Log,
): Promise<boolean> {
  const marker = `${libDir}.pom-sha256`;
  const hash = sha256(fs.readFileSync(pom, 'utf8'));
  const hasJars = fs.existsSync(libDir) && fs.readdirSync(libDir).some((f) => f.endsWith('.jar'));
  if (hasJars && readIfExists(marker) === hash) return false;
  // Start clean so jars of a previous version never end up on the same classpath.
  fs.rmSync(libDir, { recursive: true, force: true });
  fs.rmSync(marker, { force: true });
  const started = Date.now();
  log(`fetching jars for ${path.relative(process.cwd(), pom)} with Maven...`);
  const mvnLog = path.join(config.localDir, `mvn-${path.basename(path.dirname(pom))}.log`);
  const mvn = process.env['MVN'] || 'mvn';
  const env = { ...process.env, JAVA_HOME: config.javaHome };
  const run = mavenQueue.then(() =>
    runLogged(mvn, ['-q', '-B', '-f', pom, 'package', `-DlibDir=${libDir}`], mvnLog, env),
  );
  mavenQueue = run.catch(() => undefined);
  await run;
  fs.writeFileSync(marker, `${hash}\n`);
  log(`fetched ${fs.readdirSync(libDir).length} jars into ${libDir} in ${Date.now() - started} ms`);
  return true;
}

/** Compiles Neo4jLauncher.java unless the class is up to date with the source and the jar set. */
export async function ensureNeo4jLauncher(config: LocalStackConfig, log: Log): Promise<boolean> {
  const { classesDir, launcherSource, libDir } = config.neo4j;
  const marker = path.join(classesDir, '.source-sha256');
  const hash = sha256(fs.readFileSync(launcherSource, 'utf8'), readIfExists(`${libDir}.pom-sha256`) ?? '');
  if (fs.existsSync(path.join(classesDir, 'Neo4jLauncher.class')) && readIfExists(marker) === hash)
    return false;
  fs.rmSync(classesDir, { recursive: true, force: true });
  fs.mkdirSync(classesDir, { recursive: true });
  const javacLog = path.join(config.localDir, 'javac-neo4j.log');
  await runLogged(
    javaTool(config, 'javac'),
    ['-d', classesDir, '-cp', `${libDir}/*`, launcherSource],
    javacLog,
  );
  fs.writeFileSync(marker, `${hash}\n`);
  log(`compiled ${path.basename(launcherSource)}`);
  return true;
}
