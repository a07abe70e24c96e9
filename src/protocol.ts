// Host <-> webview message types: the only module both sides import.
export {};
