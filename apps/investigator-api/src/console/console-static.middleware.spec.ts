import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { consoleStaticMiddleware } from './console-static.middleware';

describe(consoleStaticMiddleware.name, () => {
  let dist: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, '.source-hash'), 'secret-ish');
    const app = express();
    app.use(consoleStaticMiddleware(dist));
    app.use((_request, response) => {
      response.status(418).send('not the console');
    });
    server = await new Promise<Server>((resolve) => {
      const started = app.listen(0, '127.0.0.1', () => resolve(started));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at /console/ without a token, never cached, with a content security policy', async () => {
    const response = await fetch(`${base}/console/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>console</title>');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('redirects /console to /console/ so relative asset URLs resolve', async () => {
    const response = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('caches hashed assets for a year', async () => {
    const response = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers a missing file and a dot file with a problem+json 404, and leaves other paths alone', async () => {
    for (const missing of ['/console/assets/nope.js', '/console/.source-hash']) {
      const response = await fetch(`${base}${missing}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await fetch(`${base}/alerts`)).status).toBe(418);
  });

  it('says how to build the console when it is not built', async () => {
    const app = express().use(consoleStaticMiddleware(path.join(dist, 'missing')));
    const empty = await new Promise<Server>((resolve) => {
      const started = app.listen(0, '127.0.0.1', () => resolve(started));
    });
    try {
      const response = await fetch(`http://127.0.0.1:${(empty.address() as AddressInfo).port}/console/`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { detail: string }).detail).toContain('npm run build:console');
    } finally {
      await new Promise((resolve) => empty.close(resolve));
    }
  });
});
