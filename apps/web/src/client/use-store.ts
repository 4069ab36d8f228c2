import { useRef, useSyncExternalStore } from "react";
import type { FrameStore } from "./frame-store.js";

/**
 * A value derived from the frame store, re-rendering only when `key` of the
 * derived value changes, and checked at most every SLOW_MS (frames arrive 60
 * times a second; text and panels need far fewer renders).
 */
export function useStoreValue<T>(
  store: FrameStore,
  select: (store: FrameStore) => T,
  key: (value: T) => string = (v) => JSON.stringify(v),
  /** Follow every change (the run's structure, rare), not at most every SLOW_MS (numbers shown as text). */
  immediate = false,
): T {
  const cache = useRef<{ key: string; value: T } | null>(null);
  const get = () => {
    const value = select(store);
    const k = key(value);
    if (cache.current && cache.current.key === k) return cache.current.value;
    cache.current = { key: k, value };
    return value;
  };
  return useSyncExternalStore(immediate ? store.subscribe : store.subscribeSlow, get, get);
}
