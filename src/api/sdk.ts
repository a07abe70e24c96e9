import type Anthropic from '@anthropic-ai/sdk';

let sdk: typeof Anthropic | undefined;

/**
 * The SDK, evaluated on first use rather than when the bundle loads: it is three quarters of
 * dist/extension.js and activation needs none of it (no request is made then). esbuild wraps a
 * `require`d module so that its code runs at this call; a static value import anywhere else in
 * src/ would undo that, so value uses of the SDK go through here.
 */
export function loadSdk(): typeof Anthropic {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= (require('@anthropic-ai/sdk') as { default: typeof Anthropic }).default;
  return sdk;
}
