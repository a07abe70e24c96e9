import { isRecord } from './http';
import { findModel } from './models';

/**
 * Checks the Messages params that structured batch kinds add, the way the API does: the output
 * format (`output_config.format`) and prompt-caching breakpoints (`cache_control`). Each check
 * returns the API-style message, or undefined when the params are fine, so /v1/messages can answer
 * 400 and a batch can mark just that request `errored` (the API validates batch params per request).
 */
export function paramsError(params: Record<string, unknown>): string | undefined {
  return outputConfigError(params) ?? cacheControlError(params);
}

export function outputConfigError(params: Record<string, unknown>): string | undefined {
  const config = params['output_config'];
  if (config === undefined || config === null) return undefined;
  if (!isRecord(config)) return 'output_config: Input should be an object';
  const format = config['format'];
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format)) return 'output_config.format: Input should be an object';
  if (format['type'] !== 'json_schema') return `output_config.format.type: Input should be 'json_schema'`;
  const schema = format['schema'];
  if (!isRecord(schema)) return 'output_config.format.schema: Input should be a valid JSON schema object';
  const model = typeof params['model'] === 'string' ? findModel(params['model']) : undefined;
  // A retired model is a 404 (not_found_error) before anything else, as for any request.
  if (model && model.lifecycle !== 'retired' && model.capabilities?.structured_outputs?.supported === false) {
    return `output_config.format: structured outputs are not supported by model ${model.id}`;
  }
  return schemaError(schema, 'output_config.format.schema');
}

/** Every object schema, at any depth, must close itself with `additionalProperties: false`. */
function schemaError(schema: unknown, path: string): string | undefined {
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const error = schemaError(schema[i], `${path}.${i}`);
      if (error) return error;
    }
    return undefined;
  }
  if (!isRecord(schema)) return undefined;
  const type = schema['type'];
  const isObject = type === 'object' || (Array.isArray(type) && type.includes('object')) || isRecord(schema['properties']);
  if (isObject && schema['additionalProperties'] !== false) {
    return `${path}: For 'object' type, 'additionalProperties' must be explicitly set to false`;
  }
  for (const key of ['properties', '$defs', 'definitions']) {
    const children = schema[key];
    if (!isRecord(children)) continue;
    for (const [name, child] of Object.entries(children)) {
      const error = schemaError(child, `${path}.${key}.${name}`);
      if (error) return error;
    }
  }
  for (const key of ['items', 'prefixItems', 'anyOf', 'allOf', 'oneOf']) {
    if (schema[key] === undefined) continue;
    const error = schemaError(schema[key], `${path}.${key}`);
    if (error) return error;
  }
  return undefined;
}

/** `cache_control` on system, message and tool blocks: `{type: 'ephemeral', ttl?: '5m' | '1h'}`. */
export function cacheControlError(params: Record<string, unknown>): string | undefined {
  const places: { path: string; block: unknown }[] = [];
  const system = params['system'];
  if (Array.isArray(system)) system.forEach((block, i) => places.push({ path: `system.${i}`, block }));
  const messages = params['messages'];
  if (Array.isArray(messages)) {
    messages.forEach((m, i) => {
      const content = isRecord(m) ? m['content'] : undefined;
      if (Array.isArray(content)) content.forEach((block, j) => places.push({ path: `messages.${i}.content.${j}`, block }));
    });
  }
  const tools = params['tools'];
  if (Array.isArray(tools)) tools.forEach((block, i) => places.push({ path: `tools.${i}`, block }));
  for (const { path, block } of places) {
    if (!isRecord(block) || block['cache_control'] === undefined || block['cache_control'] === null) continue;
    const control = block['cache_control'];
    if (!isRecord(control) || control['type'] !== 'ephemeral') return `${path}.cache_control.type: Input should be 'ephemeral'`;
    const ttl = control['ttl'];
    if (ttl !== undefined && ttl !== '5m' && ttl !== '1h') return `${path}.cache_control.ephemeral.ttl: Input should be '5m' or '1h'`;
  }
  return undefined;
}
