import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { answerFor } from '../../server/answers';
import { clientFor, collectStream, useServer, userPrompt, TEST_KEY } from './serverHarness';

const MODEL = 'claude-sonnet-5-5';

describe('local server: streaming', () => {
  const server = useServer();

  function stream(prompt: string, extra: Partial<Anthropic.MessageCreateParams> = {}, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) {
    return clientFor(server(), options).messages.stream({ model: MODEL, max_tokens: 1024, messages: userPrompt(prompt), ...extra } as Anthropic.MessageStreamParams);
  }

  describe('fixture replay', () => {
    it('01-basic-text', async () => {
      const message = await stream('[[fixture:01-basic-text]]').finalMessage();
      assert.deepEqual(message.content, [{ type: 'text', text: 'Hello!' }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.usage.output_tokens, 15);
    });

    it('02-tool-use parses the tool input', async () => {
      const message = await stream('[[fixture:02-tool-use]]').finalMessage();
      assert.equal(message.content[0].type === 'text' && message.content[0].text, "Okay, let's check the weather for San Francisco, CA:");
      const tool = message.content[1];
      assert.equal(tool.type, 'tool_use');
      assert.deepEqual(tool.type === 'tool_use' && tool.input, { location: 'San Francisco, CA' });
      assert.equal(message.stop_reason, 'tool_use');
    });

    it('03-extended-thinking keeps thinking and signature', async () => {
      const message = await stream('[[fixture:03-extended-thinking]]').finalMessage();
      const [thinking, text] = message.content;
      assert.equal(thinking.type, 'thinking');
      if (thinking.type === 'thinking') {
        assert.match(thinking.thinking, /^I need to find the GCD/);
        assert.match(thinking.thinking, /GCD\(1071, 462\) = 21\.$/);
        assert.match(thinking.signature, /^EqQBCgIYAhIM/);
      }
      assert.deepEqual(text, { type: 'text', text: 'The greatest common divisor of 1071 and 462 is **21**.' });
    });

    it('04-web-search delivers server tool blocks and overwrites usage', async () => {
      const message = await stream('[[fixture:04-web-search]]').finalMessage();
      assert.deepEqual(message.content.map((b) => b.type), ['text', 'server_tool_use', 'web_search_tool_result', 'text']);
      const search = message.content[1];
      assert.deepEqual(search.type === 'server_tool_use' && search.input, { query: 'weather NYC today' });
      const result = message.content[2];
      assert.ok(result.type === 'web_search_tool_result' && Array.isArray(result.content));
      assert.equal(message.usage.input_tokens, 10682);
    });

    it('05-error-event surfaces as an overloaded APIError', async () => {
      const { error } = await collectStream(stream('[[fixture:05-error-event]]'));
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.type, 'overloaded_error');
    });

    it('08-error-midstream keeps the text received before the error', async () => {
      const { text, error } = await collectStream(stream('[[fixture:08-error-midstream]]'));
      assert.equal(text, 'Hello');
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.type, 'overloaded_error');
    });

    it('09-forward-compat: unknown events, blocks and deltas are tolerated', async () => {
      const message = await stream('[[fixture:09-forward-compat]]').finalMessage();
      const texts = message.content.filter((b): b is Anthropic.TextBlock => b.type === 'text').map((b) => b.text);
      assert.deepEqual(texts, ['still works']);
    });
  });

  it('streams the deterministic answer exactly, despite chunks cut inside UTF-8 characters', async () => {
    const prompt = 'Explain streaming with “quotes”, é, 日本語 and 🚀, with a TypeScript example please';
    const { text, error } = await collectStream(stream(prompt));
    assert.equal(error, undefined);
    assert.equal(text, answerFor({ messages: userPrompt(prompt) }));
    assert.match(text, /日本語/);
    assert.match(text, /```ts\n/);
  });

  it('writes the SSE body in pieces that split multi-byte characters', async () => {
    const body = JSON.stringify({ model: MODEL, max_tokens: 100, stream: true, messages: userPrompt('Split me: 日本語 🚀 café') });
    const chunks = await rawChunks(server().url, body);
    const splitInside = chunks.filter((c) => !Buffer.from(c.toString('utf8'), 'utf8').equals(c));
    assert.ok(chunks.length > 20, `expected many chunks, got ${chunks.length}`);
    assert.ok(splitInside.length > 0, 'no chunk boundary fell inside a multi-byte character');
    const text = Buffer.concat(chunks).toString('utf8');
    assert.match(text, /^event: message_start\n/);
    assert.match(text, /event: message_stop\ndata: \{"type":"message_stop"\}\n\n$/);
  });

  it('unknownEvents fault mixes in unknown types without breaking the answer', async () => {
    server().control.script({ fault: { type: 'unknownEvents' } });
    const prompt = 'forward compatible please';
    const message = await stream(prompt).finalMessage();
    const text = message.content.filter((b): b is Anthropic.TextBlock => b.type === 'text').map((b) => b.text).join('');
    assert.equal(text, answerFor({ messages: userPrompt(prompt) }));
  });

  it('scripted mid-stream error gives an APIError after partial text', async () => {
    server().control.script({ fault: { type: 'error', afterEvent: 6 } });
    const { text, error } = await collectStream(stream('error soon'));
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.type, 'overloaded_error');
    assert.ok(text.length > 0);
    assert.ok(answerFor({ messages: userPrompt('error soon') }).startsWith(text));
  });

  it('dropped connection makes the SDK throw after partial text', async () => {
    const prompt = 'drop me [[fault:drop:8]]';
    const { text, error } = await collectStream(stream(prompt));
    assert.ok(error instanceof Error);
    assert.ok(text.length > 0);
    assert.ok(answerFor({ messages: userPrompt(prompt) }).startsWith(text));
    assert.equal(server().control.closedEarly, 0, 'a server-side drop is not a client abort');
  });

  it('malformed data line fails the stream', async () => {
    server().control.script({ fault: { type: 'malformed', afterEvent: 4 } });
    const { error } = await collectStream(stream('malformed', {}, { logLevel: 'off' }));
    assert.ok(error instanceof Error);
  });

  it('notSse answers 200 text/html, which the SDK cannot treat as a stream of events', async () => {
    server().control.script({ fault: { type: 'notSse' } });
    const { text, error } = await collectStream(stream('html'));
    assert.equal(text, '');
    assert.ok(error instanceof Error);
  });

  it('[[thinking]] adds a thinking block before the text', async () => {
    const message = await stream('think first [[thinking]]').finalMessage();
    assert.deepEqual(message.content.map((b) => b.type), ['thinking', 'text']);
    const thinking = message.content[0];
    assert.ok(thinking.type === 'thinking' && thinking.signature.length > 0 && thinking.thinking.length > 0);
  });

  it('tool directive streams a tool_use block, and a tool_result is recorded and quoted', async () => {
    const client = clientFor(server());
    const tools: Anthropic.Tool[] = [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }];
    const prompt = 'Read it [[tool:read_file:{"path":"src/a.ts"}]]';
    const first = await client.messages.stream({ model: MODEL, max_tokens: 500, tools, messages: userPrompt(prompt) }).finalMessage();
    const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    assert.ok(call);
    assert.equal(call.name, 'read_file');
    assert.deepEqual(call.input, { path: 'src/a.ts' });
    assert.equal(first.stop_reason, 'tool_use');

    const fileText = 'export const a = 1; // café 日本語 '.repeat(20);
    const second = await client.messages
      .stream({
        model: MODEL,
        max_tokens: 500,
        tools,
        messages: [
          { role: 'user', content: prompt },
          { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: fileText }] },
        ],
      })
      .finalText();
    assert.ok(second.includes(fileText.slice(0, 200)));
    assert.ok(!second.includes(fileText.slice(0, 201)));
    const [recorded] = server().control.toolResults();
    assert.equal(recorded.toolUseId, call.id);
    assert.equal(recorded.content, fileText);
  });

  it('tool directive without tools in the request answers with text', async () => {
    const message = await stream('no tools [[tool:read_file:{"path":"x"}]]').finalMessage();
    assert.deepEqual(message.content.map((b) => b.type), ['text']);
  });

  it('non-streamed requests get the whole Message', async () => {
    const prompt = 'not streamed';
    const message = await clientFor(server()).messages.create({ model: MODEL, max_tokens: 100, messages: userPrompt(prompt) });
    assert.equal(message.type, 'message');
    assert.match(message.id, /^msg_/);
    assert.deepEqual(message.content, [{ type: 'text', text: answerFor({ messages: userPrompt(prompt) }) }]);
    assert.ok(message.usage.output_tokens > 1);
  });

  it('records a client abort as closedEarly', async () => {
    server().control.script({ deltaDelayMs: 20 });
    const controller = new AbortController();
    const s = clientFor(server()).messages.stream({ model: MODEL, max_tokens: 100, messages: userPrompt('abort me') }, { signal: controller.signal });
    s.on('text', () => controller.abort());
    await s.finalMessage().catch(() => undefined);
    const [event] = await server().control.waitForClosedEarly(1, 3000);
    assert.equal(event.path, '/v1/messages');
    assert.ok(event.eventsWritten < 50);
  });

  it('a stalled stream stays open until the client gives up, which counts as closedEarly', async () => {
    server().control.script({ fault: { type: 'stall', afterEvent: 5 } });
    const controller = new AbortController();
    const s = clientFor(server()).messages.stream({ model: MODEL, max_tokens: 100, messages: userPrompt('stall') }, { signal: controller.signal });
    let text = '';
    s.on('text', (t) => {
      text += t;
    });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(s.finalMessage());
    assert.ok(text.length > 0);
    const [event] = await server().control.waitForClosedEarly(1, 3000);
    assert.equal(event.eventsWritten, 5);
  });

  it('[[slow:MS]] spaces out the deltas', async () => {
    const started = Date.now();
    await stream('x [[slow:2]]').finalText();
    const deltas = answerFor({ messages: userPrompt('x [[slow:2]]') }).length / 12;
    assert.ok(Date.now() - started >= deltas * 2, 'expected at least 2 ms per delta');
  });

  it('records requests without the api key value', async () => {
    await stream('record me').finalMessage();
    const recorded = await server().control.waitForRequest((r) => r.path === '/v1/messages');
    assert.equal(recorded.apiKeyPresent, true);
    assert.equal(JSON.stringify(recorded).includes(TEST_KEY), false);
    assert.equal((recorded.body as { stream: boolean }).stream, true);
    assert.match(String(recorded.headers['anthropic-version']), /\d{4}-\d{2}-\d{2}/);
  });
});

function rawChunks(base: string, body: string): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/v1/messages`, { method: 'POST', headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(chunks));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
