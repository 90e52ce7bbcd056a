/**
 * The local web server of `daxcheck explore`, safe by default: it listens on 127.0.0.1 only, answers
 * only requests whose Host header names the loopback address or `localhost` with its own port (no
 * DNS rebinding), and only under a random per-run token (the first path segment of the URL it
 * prints). It serves its own page, script and the Mermaid bundle from node_modules, and JSON views
 * of the session; nothing else from disk, nothing from a CDN.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUserError, SpecError } from '../errors.js';
import { mermaidBundle } from '../report/html.js';
import { parseTraceFile } from '../replay/replay.js';
import { PAGE_HTML, PAGE_JS } from './page.js';
import type { ExploreSession } from './session.js';

export interface ExploreServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_UPLOAD = 64 * 1024 * 1024;
const LOOPBACK = '127.0.0.1';

const HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // The token is in the URL: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Mermaid writes <style> into its SVGs; nothing else inline, nothing from elsewhere.
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const json = (res: ServerResponse, status: number, x: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(x));
const refuse = (res: ServerResponse, status: number, why: string) => send(res, status, 'text/plain; charset=utf-8', why + '\n');

/** Host headers the server answers: the loopback address or localhost, with its port. */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `3.17.5` -> [3, 17, 5]; anything else in it ends the path there. */
function parseLine(s: string | null): number[] {
  const out: number[] = [];
  for (const part of (s ?? '').split('.')) {
    if (!/^\d{1,9}$/.test(part)) break;
    out.push(Number(part));
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > MAX_UPLOAD) throw new Error(`a trace file of more than ${MAX_UPLOAD >> 20} MB`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startServer(session: ExploreSession, opts: { port?: number } = {}): Promise<ExploreServer> {
  const token = randomBytes(18).toString('base64url');
  const mermaid = mermaidBundle();
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHost(req.headers.host, port)) return refuse(res, 403, `forbidden: the Host header must be ${LOOPBACK}:${port} or localhost:${port}`);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const [, first, ...rest] = url.pathname.split('/');
    if (!first || !sameToken(first, token)) return refuse(res, 403, 'forbidden: this URL lacks the token daxcheck explore printed');
    const route = rest.join('/');
    if (route === '' && url.pathname.endsWith(token)) {
      res.writeHead(308, { ...HEADERS, Location: `/${token}/` });
      return res.end();
    }
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && route === '') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (get && route === 'app.js') return send(res, 200, 'text/javascript; charset=utf-8', PAGE_JS);
    if (get && route === 'mermaid.js') return send(res, 200, 'text/javascript; charset=utf-8', mermaid);
    if (get && route === 'api/charts') return json(res, 200, session.charts());
    if (get && route === 'api/view') {
      const line = parseLine(url.searchParams.get('line'));
      const at = url.searchParams.has('at') ? Number(url.searchParams.get('at')) : line.length;
      return json(res, 200, session.view(line, at));
    }
    if (req.method === 'POST' && route === 'api/trace') {
      try {
        const traces = parseTraceFile(await readBody(req));
        if (!traces.length) throw new Error('the file holds no trace');
        return json(res, 200, { traces: traces.map((t) => session.openTrace(t)) });
      } catch (e) {
        return json(res, 400, { error: (e as Error).message });
      }
    }
    return refuse(res, 404, 'not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, isUserError(e) ? 400 : 500, { error: (e as Error)?.message ?? String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new SpecError(`cannot listen on ${LOOPBACK}:${opts.port ?? 0}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.code ?? e.message}`)));
    server.listen(opts.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}/${token}/`,
    port,
    token,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
