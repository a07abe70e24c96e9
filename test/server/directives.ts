import type { Fault, Script } from './types';

/**
 * Prompt directives, read from the last user message, so demos and e2e tests can steer the
 * server without the control API. See README.md for the list.
 */
export function parseDirectives(text: string, hasTools: boolean): Script {
  const script: Script = {};
  const fixture = /\[\[fixture:([\w.-]+)\]\]/.exec(text);
  if (fixture) script.fixture = fixture[1];
  const tool = /\[\[tool:([\w.-]+)(?::(.*?))?\]\](?!\])/s.exec(text);
  if (tool && hasTools) script.toolUse = { name: tool[1], input: parseInput(tool[2]) };
  if (/\[\[thinking\]\]/.test(text)) script.thinking = true;
  const slow = /\[\[slow:(\d+)\]\]/.exec(text);
  if (slow) script.deltaDelayMs = Number(slow[1]);
  const fault = parseFault(text);
  if (fault) script.fault = fault;
  return script;
}

function parseInput(raw: string | undefined): unknown {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return { value: raw };
  }
}

function parseFault(text: string): Fault | undefined {
  const m = /\[\[fault:(\w+)(?::(\d+))?\]\]/.exec(text);
  if (!m) return undefined;
  const n = m[2] === undefined ? undefined : Number(m[2]);
  switch (m[1]) {
    case 'drop':
      return { type: 'drop', afterEvent: n ?? 3 };
    case 'error':
      return { type: 'error', afterEvent: n ?? 3 };
    case 'stall':
      return { type: 'stall', afterEvent: n ?? 3 };
    case 'malformed':
      return { type: 'malformed', afterEvent: n ?? 3 };
    case 'status':
      return { type: 'status', status: statusOf(n), retryAfter: 1 };
    case 'notSse':
      return { type: 'notSse' };
    case 'unknownEvents':
      return { type: 'unknownEvents' };
    case 'slowDrip':
      return { type: 'slowDrip', delayMs: n ?? 20 };
    default:
      return undefined;
  }
}

function statusOf(n: number | undefined): 429 | 500 | 503 | 529 {
  return n === 500 || n === 503 || n === 529 ? n : 429;
}
