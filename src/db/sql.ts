/** The narrow SQL seam both stores share: PGlite's `query` and node-postgres's `query` have this shape. */
export type Sql = {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
};

export type StoreKind = 'pglite' | 'postgres';

export class StoreError extends Error {
  readonly code: 'STORE.IN_USE' | 'STORE.BAD_URL' | 'STORE.UNAVAILABLE' | 'STORE.MIGRATION';
  constructor(code: StoreError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
