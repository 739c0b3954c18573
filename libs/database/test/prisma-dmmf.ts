// Reads schema.prisma through Prisma's own parser, so the schema-agreement test compares the
// database with what Prisma understood, not with a copy of the schema or a home-made parser.
//
// Why this route: `@prisma/internals` (getDMMF) is not installed and the generated client's
// runtimeDataModel drops native types, nullability and indexes. The `prisma` CLI package ships the
// parser as WebAssembly (build/prisma_schema_build_bg.wasm, the same module its getDMMF uses), but
// only inside its bundle. The module needs just four wasm-bindgen imports, so we instantiate it
// here and call `get_dmmf` ourselves: offline, no schema engine, pinned to the installed Prisma.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType: [string, string[]] | null;
  default?: unknown;
  isUpdatedAt: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string }[];
}
export interface Datamodel {
  models: DmmfModel[];
  enums: { name: string; values: { name: string; dbName: string | null }[] }[];
  indexes: DmmfIndex[];
}

// tsconfig's lib (ES2023, no DOM) has no WebAssembly typings although Node has the runtime:
// declare the little we use.
interface WasmTable {
  grow(delta: number): number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; imports(module: object): { name: string }[] };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

// The few exports of the wasm-bindgen module that get_dmmf needs.
interface SchemaWasm {
  memory: { buffer: ArrayBuffer };
  __wbindgen_externrefs: WasmTable;
  __wbindgen_start(): void;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

let wasm: SchemaWasm | undefined;

function instance(): SchemaWasm {
  if (wasm) return wasm;
  const dir = dirname(require.resolve('prisma/package.json'));
  const mod = new Wasm.Module(readFileSync(join(dir, 'build', 'prisma_schema_build_bg.wasm')));
  const text = (ptr: number, len: number) => new TextDecoder().decode(new Uint8Array(wasm!.memory.buffer, ptr >>> 0, len));
  const imports: Record<string, (...args: never[]) => unknown> = {};
  // Import names carry a hash per build; match them by their stable prefix and fail on anything new.
  for (const { name } of Wasm.Module.imports(mod)) {
    if (name.startsWith('__wbg_Error_')) imports[name] = (p: number, l: number) => new Error(text(p, l));
    else if (name.startsWith('__wbg_set_message_')) imports[name] = (e: Error, m: string) => void (e.message = m);
    else if (name.includes('__wbindgen_throw')) {
      imports[name] = (p: number, l: number) => {
        throw new Error(text(p, l));
      };
    } else if (name === '__wbindgen_init_externref_table') {
      // Same reserved slots as the generated glue: 0 → undefined, then undefined, null, true, false.
      imports[name] = () => {
        const t = wasm!.__wbindgen_externrefs;
        const base = t.grow(4);
        t.set(0, undefined);
        [undefined, null, true, false].forEach((v, i) => t.set(base + i, v));
      };
    } else throw new Error(`prisma_schema_build wasm wants an unknown import ${name}; update prisma-dmmf.ts`);
  }
  const exports = new Wasm.Instance(mod, { __wbindgen_placeholder__: imports }).exports;
  wasm = exports as unknown as SchemaWasm;
  wasm.__wbindgen_start();
  return wasm;
}

/** Prisma's DMMF datamodel of a schema text; throws Prisma's validation error for a bad schema. */
export function getDatamodel(schema: string): Datamodel {
  const w = instance();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
  const ptr = w.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(w.memory.buffer, ptr, input.length).set(input);
  const [outPtr, outLen, errRef, isErr] = w.get_dmmf(ptr, input.length);
  if (isErr) {
    const err: unknown = w.__wbindgen_externrefs.get(errRef);
    w.__externref_table_dealloc(errRef);
    throw err instanceof Error ? err : new Error(String(err));
  }
  try {
    return JSON.parse(new TextDecoder().decode(new Uint8Array(w.memory.buffer, outPtr >>> 0, outLen))).datamodel;
  } finally {
    w.__wbindgen_free(outPtr, outLen, 1);
  }
}
