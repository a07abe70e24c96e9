// Webview entry point (browser). Filled in by the streaming work.
export {};
