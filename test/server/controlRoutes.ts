import type { ServerResponse } from 'node:http';
import type { ServerControl } from './control';
import type { CreateFailure, EndBatchOptions, Script, SyntheticBatchOptions } from './types';
import { HttpError, isRecord, sendJson } from './http';

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isRecord(body)) throw new HttpError(400, 'invalid_request_error', 'control body must be a JSON object');
  return body;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_request_error', `${name}: string required`);
  return value;
}

function numberField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number') throw new HttpError(400, 'invalid_request_error', `${name}: number required`);
  return value;
}

/** HTTP twin of ServerControl for out-of-process users (e2e tests, demos). */
export function handleControl(control: ServerControl, method: string, path: string, body: unknown, res: ServerResponse): void {
  const ok = (value: unknown = { ok: true }): void => sendJson(res, 200, value);
  const batch = /^\/_control\/batches\/([^/]+)\/(end|expire|requests)$/.exec(path);
  if (batch) {
    const [, id, action] = batch;
    if (action === 'end' && method === 'POST') return ok(control.endBatch(id, objectBody(body) as EndBatchOptions));
    if (action === 'expire' && method === 'POST') return ok(control.expireBatch(id));
    if (action === 'requests' && method === 'GET') return ok(control.batchRequests(id));
  }
  switch (`${method} ${path}`) {
    case 'POST /_control/script': {
      const scripts = Array.isArray(body) ? body : [objectBody(body)];
      scripts.forEach((s) => control.script(s as Script));
      return ok();
    }
    case 'POST /_control/reset':
      control.reset();
      return ok();
    case 'GET /_control/requests':
      return ok(control.requests());
    case 'GET /_control/closed-early':
      return ok(control.closedEarlyEvents());
    case 'GET /_control/streams':
      return ok(control.streamTimings());
    case 'GET /_control/tool-results':
      return ok(control.toolResults());
    case 'POST /_control/synthetic-batch':
      return ok(control.createSyntheticBatch(objectBody(body) as unknown as SyntheticBatchOptions));
    case 'POST /_control/fail-retrieve': {
      const b = objectBody(body);
      control.failRetrieve(stringField(b, 'id'), numberField(b, 'times'));
      return ok();
    }
    case 'POST /_control/drop-results': {
      const b = objectBody(body);
      control.dropResultsAfter(stringField(b, 'id'), numberField(b, 'lines'));
      return ok();
    }
    case 'POST /_control/fail-create': {
      const status = objectBody(body)['status'];
      if (status !== 400 && status !== 413 && status !== 500 && status !== 'drop') {
        throw new HttpError(400, 'invalid_request_error', "status: one of 400, 413, 500, 'drop'");
      }
      control.failNextCreate(status as CreateFailure);
      return ok();
    }
  }
  throw new HttpError(404, 'not_found_error', `Not found: ${method} ${path}`);
}
