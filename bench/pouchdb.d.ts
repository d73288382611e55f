/**
 * The little of PouchDB (pouchdb-node 9) and express-pouchdb (4.2) that the `pouch` benchmark uses;
 * neither ships types. Bench only: these are devDependencies.
 */
declare module 'pouchdb-node' {
  type Attachment = { content_type: string; data?: Buffer; digest?: string; length?: number; stub?: boolean };
  type Doc = { _id: string; _rev?: string; _attachments?: Record<string, Attachment>; [k: string]: unknown };
  type ReplicationResult = {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
  };
  class PouchDB {
    constructor(name: string, options?: Record<string, unknown>);
    static defaults(options: Record<string, unknown>): typeof PouchDB;
    static replicate(
      source: PouchDB | string,
      target: PouchDB | string,
      options?: Record<string, unknown>,
    ): Promise<ReplicationResult>;
    bulkDocs(docs: Doc[]): Promise<{ ok?: boolean; id?: string; error?: string }[]>;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    allDocs(options: {
      include_docs?: boolean;
      limit?: number;
      startkey?: string;
      skip?: number;
    }): Promise<{ total_rows: number; rows: { id: string; doc?: Doc }[] }>;
    close(): Promise<void>;
  }
  export default PouchDB;
}

declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  import type PouchDB from 'pouchdb-node';
  function expressPouchDB(
    pouch: typeof PouchDB,
    options?: { mode?: 'minimumForPouchDB' | 'fullCouchDB'; inMemoryConfig?: boolean; logPath?: string },
  ): RequestListener;
  export default expressPouchDB;
}
