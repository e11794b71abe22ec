import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';

export const CONSOLE_PATH = '/console';

/** The page may load only its own scripts; Cytoscape sets inline styles, PNG export makes data/blob images. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const notFound = (request: Request, response: Response, detail: string, status = 404): void => {
  response
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: status === 404 ? 'Not Found' : 'Service Unavailable',
        status,
        detail,
        instance: request.path,
      }),
    );
};

/**
 * Serves the built console bundle under /console/ without a token (it is static code; every API call it makes
 * carries the user's token). Hashed assets are cached for a year, index.html never, so a new build shows at once.
 */
export const consoleStaticMiddleware = (distDir: string): RequestHandler => {
  const serve = express.static(distDir, {
    index: 'index.html',
    redirect: false,
    fallthrough: true,
    dotfiles: 'ignore',
    setHeaders: (response, file) => {
      const immutable = file.startsWith(path.join(distDir, 'assets') + path.sep);
      response.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      response.setHeader('x-content-type-options', 'nosniff');
      if (file.endsWith('.html')) response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    },
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    const pathname = request.originalUrl.split('?')[0] ?? '';
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    if (pathname === CONSOLE_PATH) {
      response.redirect(301, `${CONSOLE_PATH}/`);
      return;
    }
    if (!pathname.startsWith(`${CONSOLE_PATH}/`)) {
      next();
      return;
    }
    if (!existsSync(path.join(distDir, 'index.html'))) {
      notFound(request, response, 'the console is not built: run npm run build:console', 503);
      return;
    }
    const url = request.url;
    request.url = request.originalUrl.slice(CONSOLE_PATH.length);
    serve(request, response, () => {
      request.url = url;
      notFound(request, response, `no console file at ${pathname}`);
    });
  };
};
