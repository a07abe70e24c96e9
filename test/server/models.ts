import type { ModelCapabilities, ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { HttpError } from './http';

type Lifecycle = ModelInfo['lifecycle'];

function supported(value: boolean): { supported: boolean } {
  return { supported: value };
}

function capabilities(generation: number, opts: { effort: boolean; server: boolean }): ModelCapabilities {
  const modern = generation >= 4.6;
  return {
    batch: supported(true),
    citations: supported(true),
    code_execution: supported(opts.server),
    context_management: {
      supported: true,
      clear_thinking_20251015: supported(true),
      clear_tool_uses_20250919: supported(true),
      compact_20260112: modern ? supported(true) : null,
    },
    effort: {
      supported: opts.effort,
      low: supported(opts.effort),
      medium: supported(opts.effort),
      high: supported(opts.effort),
      max: supported(opts.effort && modern),
      xhigh: modern ? supported(opts.effort) : null,
    },
    image_input: supported(true),
    pdf_input: supported(true),
    server_tools: {
      supported: opts.server,
      code_execution: supported(opts.server),
      web_search: supported(opts.server),
    },
    structured_outputs: supported(generation >= 4.5),
    thinking: {
      supported: true,
      types: {
        adaptive: supported(modern),
        between_tools: supported(modern),
        disabled: supported(true),
        enabled: supported(!modern || generation < 5),
      },
    },
  };
}

interface ModelSpec {
  id: string;
  name: string;
  line: ModelInfo['line'];
  generation: number;
  created: string;
  lifecycle: Lifecycle;
  deprecatedAt?: string;
  retiresAt?: string;
  maxInput: number;
  maxTokens: number;
}

// Newest first, as the API lists them.
const SPECS: readonly ModelSpec[] = [
  { id: 'claude-opus-5-5', name: 'Claude Opus 5.5', line: 'opus', generation: 5.5, created: '2026-09-30T00:00:00Z', lifecycle: 'active', maxInput: 1_000_000, maxTokens: 128_000 },
  { id: 'claude-sonnet-5-5', name: 'Claude Sonnet 5.5', line: 'sonnet', generation: 5.5, created: '2026-09-30T00:00:00Z', lifecycle: 'active', maxInput: 1_000_000, maxTokens: 128_000 },
  { id: 'claude-haiku-5-5', name: 'Claude Haiku 5.5', line: 'haiku', generation: 5.5, created: '2026-09-15T00:00:00Z', lifecycle: 'active', maxInput: 400_000, maxTokens: 64_000 },
  { id: 'claude-opus-4-6', name: 'Claude Opus 4.6', line: 'opus', generation: 4.6, created: '2026-02-05T00:00:00Z', lifecycle: 'active', maxInput: 1_000_000, maxTokens: 128_000 },
  { id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5', line: 'sonnet', generation: 4.5, created: '2025-09-29T00:00:00Z', lifecycle: 'active', maxInput: 200_000, maxTokens: 64_000 },
  { id: 'claude-opus-4-1', name: 'Claude Opus 4.1', line: 'opus', generation: 4.1, created: '2025-08-05T00:00:00Z', lifecycle: 'deprecated', deprecatedAt: '2026-03-01T00:00:00Z', retiresAt: '2026-12-01T00:00:00Z', maxInput: 200_000, maxTokens: 32_000 },
  { id: 'claude-3-opus-20240229', name: 'Claude Opus 3', line: 'opus', generation: 3, created: '2024-02-29T00:00:00Z', lifecycle: 'retired', deprecatedAt: '2025-06-30T00:00:00Z', retiresAt: '2026-01-05T00:00:00Z', maxInput: 200_000, maxTokens: 4_096 },
];

function toModelInfo(spec: ModelSpec): ModelInfo {
  return {
    type: 'model',
    id: spec.id,
    display_name: spec.name,
    created_at: spec.created,
    lifecycle: spec.lifecycle,
    line: spec.line,
    deprecated_at: spec.deprecatedAt ?? null,
    retires_at: spec.retiresAt ?? null,
    max_input_tokens: spec.maxInput,
    max_tokens: spec.maxTokens,
    capabilities: capabilities(spec.generation, { effort: spec.generation >= 4.5, server: spec.generation >= 4 }),
  };
}

export const MODELS: readonly ModelInfo[] = SPECS.map(toModelInfo);

export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Models that can serve inference; retired ones answer 404 like unknown ids. */
export function requireCallableModel(id: unknown): ModelInfo {
  const model = typeof id === 'string' ? findModel(id) : undefined;
  if (!model || model.lifecycle === 'retired') {
    throw new HttpError(404, 'not_found_error', `model: ${String(id)}`);
  }
  return model;
}

/** Version number from ids like claude-sonnet-4-5, claude-opus-5-5 or claude-3-opus-20240229. */
export function modelGeneration(id: string): number {
  const modern = /^claude-[a-z]+-(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(id);
  if (modern) return Number(modern[1]) + Number(modern[2] ?? 0) / 10;
  const legacy = /^claude-(\d+)(?:-(\d))?-/.exec(id);
  if (legacy) return Number(legacy[1]) + Number(legacy[2] ?? 0) / 10;
  return 0;
}

/** Prefill was removed with the 4.6 generation. */
export function supportsPrefill(id: string): boolean {
  return modelGeneration(id) < 4.6;
}

export function parseLifecycles(query: Record<string, string | string[]>): Set<Lifecycle> {
  const raw = [query['lifecycle'], query['lifecycle[]']].flat().filter((v): v is string => typeof v === 'string');
  const values = raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const v of values) {
    if (v !== 'active' && v !== 'deprecated' && v !== 'retired') {
      throw new HttpError(400, 'invalid_request_error', `lifecycle: unexpected value '${v}'`);
    }
  }
  return new Set<Lifecycle>(values.length > 0 ? (values as Lifecycle[]) : ['active', 'deprecated']);
}
