import * as http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ServerOptions } from './types';
import { BatchStore } from './batches';
import { ServerControl } from './control';
import { handleControl } from './controlRoutes';
import { HttpError, parseJson, readBody, sendError, sendJson } from './http';
import { handleCountTokens, handleMessages } from './messages';
import type { MessagesContext } from './messages';
import { MODELS, findModel, parseLifecycles } from './models';
import { paginate } from './paging';
import { PromptCache } from './promptCache';
import { randomId } from './rng';

export type { ServerOptions, Script, Fault, RecordedRequest, BatchOutcome } from './types';
export type { ServerControl } from './control';

export interface LocalAnthropicServer {
  /** e.g. http://127.0.0.1:PORT, no trailing slash. */
  readonly url: string;
  readonly control: ServerControl;
  close(): Promise<void>;
}

type Query = Record<string, string | string[]>;

interface Routed {
  method: string;
  path: string;
  query: Query;
  rawBody: string;
  body: unknown;
}

function parseQuery(url: URL): Query {
  const query: Query = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return query;
}

function redactHeaders(headers: http.IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const copy: Record<string, string | string[] | undefined> = { ...headers };
  delete copy['x-api-key'];
  if (copy['authorization']) copy['authorization'] = '[redacted]';
  return copy;
}

/** SDK 1.x sends the key as `Authorization: Bearer`; older clients and curl use `x-api-key`. */
function apiKeyOf(req: IncomingMessage): string | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return key;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
  return bearer?.[1];
}

function checkApiKey(req: IncomingMessage): void {
  const key = apiKeyOf(req);
  if (key === undefined || /bad|invalid/i.test(key)) {
    throw new HttpError(401, 'authentication_error', 'invalid x-api-key');
  }
}

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

export async function startServer(opts: ServerOptions = {}): Promise<LocalAnthropicServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  let url = '';
  // `control` is read only when a batch ends, after it is built.
  const batches: BatchStore = new BatchStore({ baseUrl: () => url, batchDurationMs: opts.batchDurationMs ?? null, log, scriptedText: (raw) => control.takeBatchText(raw) });
  const control: ServerControl = new ServerControl(batches);
  const ctx: MessagesContext = { control, chunking: opts.chunking ?? 'random', seed: opts.seed ?? 1, log };
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    res.setHeader('request-id', randomId('req_'));
    handle(req, res).catch((err: unknown) => fail(res, err, log));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const path = parsed.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/_control')) {
      if (!isLoopback(req)) throw new HttpError(403, 'permission_error', 'control API is loopback only');
      const rawBody = (await readBody(req)).toString('utf8');
      return handleControl(control, req.method ?? 'GET', path, parseJson(rawBody), res);
    }
    const record = {
      requestId: String(res.getHeader('request-id')),
      method: req.method ?? 'GET',
      path,
      query: parseQuery(parsed),
      headers: redactHeaders(req.headers),
      apiKeyPresent: apiKeyOf(req) !== undefined,
      body: undefined as unknown,
      time: Date.now(),
    };
    try {
      const rawBody = (await readBody(req)).toString('utf8');
      record.body = parseJson(rawBody);
      control.record(record);
      log(`${record.method} ${req.url ?? ''} ${record.requestId}`);
      checkApiKey(req);
      if (typeof record.body === 'string') throw new HttpError(400, 'invalid_request_error', 'Request body is not valid JSON');
      await route({ method: record.method, path, query: record.query, rawBody, body: record.body }, req, res);
    } catch (err) {
      if (err instanceof HttpError && err.status === 413 && record.body === undefined) control.record(record);
      throw err;
    }
  }

  async function route(r: Routed, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, query } = r;
    if (method === 'POST' && path === '/v1/messages') return handleMessages(req, res, r.body, r.rawBody, ctx);
    if (method === 'POST' && path === '/v1/messages/count_tokens') return handleCountTokens(r.body, res);
    if (method === 'GET' && path === '/v1/models') {
      const lifecycles = parseLifecycles(query);
      return sendJson(res, 200, paginate(MODELS.filter((m) => lifecycles.has(m.lifecycle)), query));
    }
    const model = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (method === 'GET' && model) {
      const info = findModel(decodeURIComponent(model[1]));
      if (!info) throw new HttpError(404, 'not_found_error', `model: ${decodeURIComponent(model[1])}`);
      return sendJson(res, 200, info);
    }
    return routeBatches(r, res);
  }

  async function routeBatches(r: Routed, res: ServerResponse): Promise<void> {
    const { method, path } = r;
    if (path === '/v1/messages/batches') {
      if (method === 'POST') {
        const batch = batches.create(r.body);
        if (batch === 'drop') {
          res.socket?.destroy();
          return;
        }
        return sendJson(res, 200, batch);
      }
      if (method === 'GET') return sendJson(res, 200, batches.list(r.query));
    }
    const m = /^\/v1\/messages\/batches\/([^/]+)(?:\/(cancel|results))?$/.exec(path);
    if (m) {
      const [, id, action] = m;
      if (method === 'GET' && !action) return sendJson(res, 200, batches.retrieve(id));
      if (method === 'DELETE' && !action) return sendJson(res, 200, batches.delete(id));
      if (method === 'POST' && action === 'cancel') return sendJson(res, 200, batches.cancel(id));
      if (method === 'GET' && action === 'results') return batches.writeResults(id, res, () => undefined);
    }
    throw new HttpError(404, 'not_found_error', `Not found: ${method} ${path}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  log(`listening on ${url}`);

  return {
    url,
    control,
    close: async () => {
      batches.reset();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function fail(res: ServerResponse, err: unknown, log: (line: string) => void): void {
  const httpError = err instanceof HttpError ? err : new HttpError(500, 'api_error', 'Internal server error');
  if (!(err instanceof HttpError)) log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, httpError);
}
