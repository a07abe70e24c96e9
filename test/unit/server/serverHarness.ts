import Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { startServer } from '../../server/server';
import type { LocalAnthropicServer } from '../../server/server';
import type { ServerOptions } from '../../server/types';

export const TEST_KEY = 'sk-ant-test-key';

/** Starts one server per suite, resets it between tests and closes it afterwards. */
export function useServer(options: ServerOptions = {}): () => LocalAnthropicServer {
  let server: LocalAnthropicServer | undefined;
  before(async () => {
    server = await startServer({ seed: 7, ...options });
  });
  afterEach(() => server?.control.reset());
  after(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('server not started');
    return server;
  };
}

export function clientFor(server: LocalAnthropicServer, options: Partial<ClientOptions> = {}): Anthropic {
  return new Anthropic({ apiKey: TEST_KEY, baseURL: server.url, maxRetries: 0, ...options });
}

export function userPrompt(text: string): Anthropic.MessageParam[] {
  return [{ role: 'user', content: text }];
}

/** Collects streamed text until the stream ends or fails; returns the text and the failure. */
export async function collectStream(stream: MessageStream): Promise<{ text: string; error: unknown }> {
  let text = '';
  stream.on('text', (delta) => {
    text += delta;
  });
  try {
    await stream.finalMessage();
    return { text, error: undefined };
  } catch (error) {
    return { text, error };
  }
}
