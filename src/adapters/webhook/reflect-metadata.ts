// The part of the Reflect metadata API that tsyringe (the dependency injector inside
// @peculiar/x509) needs: it refuses to load without Reflect.getMetadata. @peculiar/x509's classes
// take no constructor parameters, so a plain store is all it uses. Import this module before
// @peculiar/x509; a real polyfill (reflect-metadata), when loaded, is left alone.
type Store = Map<unknown, unknown>;

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

const stores = new WeakMap<object, Store>();

function own(target: object): Store | undefined {
  return stores.get(target);
}

function lookup(key: unknown, target: object | null): unknown {
  for (let t = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    const store = own(t);
    if (store?.has(key)) return store.get(key);
  }
  return undefined;
}

const reflect = Reflect as unknown as ReflectMetadata;
if (typeof reflect.getMetadata !== "function") {
  reflect.getMetadata = lookup;
  reflect.getOwnMetadata = (key, target) => own(target)?.get(key);
  reflect.defineMetadata = (key, value, target) => {
    const store = own(target) ?? new Map<unknown, unknown>();
    store.set(key, value);
    stores.set(target, store);
  };
}
