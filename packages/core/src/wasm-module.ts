/*
 * The few WebAssembly and base64 globals core uses, declared here: core is
 * built without the DOM's or Node's type libraries (it runs in both and in
 * Cloudflare Workers), and each of these may be missing at run time.
 */
export interface WasmModule {
  readonly __wasmModule?: never;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
};
declare const atob: (text: string) => string;

/**
 * A loader for one base64-encoded module, compiled on first use and then
 * kept: it gives null where WebAssembly, its SIMD or compiling from bytes is
 * not allowed (Cloudflare Workers), and the JavaScript path runs there.
 */
export function wasmModuleLoader(base64: string): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    compiled = null;
    try {
      if (typeof WebAssembly !== "object" || typeof atob !== "function") return compiled;
      const text = atob(base64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
    return compiled;
  };
}

/** An instance of `mod`'s exports, or null when instantiating fails. */
export function instantiate<T>(mod: WasmModule): T | null {
  try {
    return new WebAssembly.Instance(mod, {}).exports as T;
  } catch {
    return null;
  }
}
