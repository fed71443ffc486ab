/**
 * The in-memory catalog: every object floe knows, keyed by resolved names. It changes only through
 * `apply(change)`, which the engine calls after the same change committed to the warehouse's metadata
 * table — so memory never runs ahead of what would survive a restart.
 */
import type { AccountObjectDef, CatalogEntry, DatabaseDef, GrantDef, SchemaDef, SchemaObjectDef, StreamDef, TableDef, TaskDef } from './catalog-model.js';

export interface CatalogRef {
  kind: CatalogEntry['kind'];
  key: string;
}

export interface CatalogChange {
  put: CatalogEntry[];
  remove: CatalogRef[];
}

const SEP = '\u0000';

type DefOf<K extends CatalogEntry['kind']> = K extends 'DATABASE'
  ? DatabaseDef
  : K extends 'SCHEMA'
    ? SchemaDef
    : K extends 'TABLE'
      ? TableDef
      : K extends 'STREAM'
        ? StreamDef
        : K extends 'TASK'
          ? TaskDef
          : K extends 'ACCOUNT_OBJECT'
        ? AccountObjectDef
        : K extends 'SCHEMA_OBJECT'
          ? SchemaObjectDef
          : GrantDef;

export function entryKey(e: CatalogEntry): string {
  switch (e.kind) {
    case 'DATABASE':
      return e.def.name;
    case 'SCHEMA':
      return [e.def.database, e.def.name].join(SEP);
    case 'TABLE':
    case 'STREAM':
    case 'TASK':
      return [e.def.database, e.def.schema, e.def.name].join(SEP);
    case 'ACCOUNT_OBJECT':
      return [e.def.kind, e.def.name].join(SEP);
    case 'SCHEMA_OBJECT':
      // Procedures overload by argument types: the signature is part of their identity.
      if (e.def.objectKind === 'PROCEDURE') return [e.def.objectKind, e.def.database, e.def.schema, e.def.name, e.def.signature].join(SEP);
      return [e.def.objectKind, e.def.database, e.def.schema, e.def.name].join(SEP);
    case 'GRANT':
      return [e.def.privilege, e.def.grantedOn, e.def.name, e.def.grantedTo, e.def.granteeName].join(SEP);
  }
}

export const keys = {
  database: (name: string): CatalogRef => ({ kind: 'DATABASE', key: name }),
  schema: (db: string, name: string): CatalogRef => ({ kind: 'SCHEMA', key: [db, name].join(SEP) }),
  table: (db: string, schema: string, name: string): CatalogRef => ({ kind: 'TABLE', key: [db, schema, name].join(SEP) }),
  stream: (db: string, schema: string, name: string): CatalogRef => ({ kind: 'STREAM', key: [db, schema, name].join(SEP) }),
  task: (db: string, schema: string, name: string): CatalogRef => ({ kind: 'TASK', key: [db, schema, name].join(SEP) }),
  accountObject: (kind: string, name: string): CatalogRef => ({ kind: 'ACCOUNT_OBJECT', key: [kind, name].join(SEP) }),
  schemaObject: (kind: SchemaObjectDef['objectKind'], db: string, schema: string, name: string): CatalogRef => ({
    kind: 'SCHEMA_OBJECT',
    key: [kind, db, schema, name].join(SEP),
  }),
  procedure: (db: string, schema: string, name: string, signature: string): CatalogRef => ({
    kind: 'SCHEMA_OBJECT',
    key: ['PROCEDURE', db, schema, name, signature].join(SEP),
  }),
};

export class Catalog {
  private readonly entries = new Map<string, CatalogEntry>();

  private static mapKey(kind: string, key: string): string {
    return kind + SEP + SEP + key;
  }

  load(entries: Iterable<CatalogEntry>): void {
    for (const e of entries) this.entries.set(Catalog.mapKey(e.kind, entryKey(e)), e);
  }

  apply(change: CatalogChange): void {
    for (const r of change.remove) this.entries.delete(Catalog.mapKey(r.kind, r.key));
    for (const e of change.put) this.entries.set(Catalog.mapKey(e.kind, entryKey(e)), e);
  }

  private get<K extends CatalogEntry['kind']>(ref: CatalogRef & { kind: K }): DefOf<K> | undefined {
    const e = this.entries.get(Catalog.mapKey(ref.kind, ref.key));
    return e?.def as DefOf<K> | undefined;
  }

  database(name: string): DatabaseDef | undefined {
    return this.get({ kind: 'DATABASE', key: name });
  }

  schema(db: string, name: string): SchemaDef | undefined {
    return this.get({ kind: 'SCHEMA', key: [db, name].join(SEP) });
  }

  table(db: string, schema: string, name: string): TableDef | undefined {
    return this.get({ kind: 'TABLE', key: [db, schema, name].join(SEP) });
  }

  stream(db: string, schema: string, name: string): StreamDef | undefined {
    return this.get({ kind: 'STREAM', key: [db, schema, name].join(SEP) });
  }

  tableById(id: string): TableDef | undefined {
    for (const e of this.entries.values()) if (e.kind === 'TABLE' && e.def.id === id) return e.def;
    return undefined;
  }

  streams(db?: string, schema?: string): StreamDef[] {
    return this.all('STREAM')
      .filter((t) => (db === undefined || t.database === db) && (schema === undefined || t.schema === schema))
      .sort((a, b) => a.database.localeCompare(b.database) || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
  }

  task(db: string, schema: string, name: string): TaskDef | undefined {
    return this.get({ kind: 'TASK', key: [db, schema, name].join(SEP) });
  }

  tasks(db?: string, schema?: string): TaskDef[] {
    return this.all('TASK')
      .filter((t) => (db === undefined || t.database === db) && (schema === undefined || t.schema === schema))
      .sort((a, b) => a.database.localeCompare(b.database) || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
  }

  /** Streams that read this table (directly, or as one of the base tables of a view stream). */
  streamsOnTable(tableId: string): StreamDef[] {
    return this.all('STREAM').filter((s) => s.tableId === tableId || (s.baseTableIds ?? []).includes(tableId));
  }

  accountObject(kind: AccountObjectDef['kind'], name: string): AccountObjectDef | undefined {
    return this.get({ kind: 'ACCOUNT_OBJECT', key: [kind, name].join(SEP) });
  }

  private all<K extends CatalogEntry['kind']>(kind: K): DefOf<K>[] {
    const out: DefOf<K>[] = [];
    for (const e of this.entries.values()) if (e.kind === kind) out.push(e.def as DefOf<K>);
    return out;
  }

  databases(): DatabaseDef[] {
    return this.all('DATABASE').sort((a, b) => a.name.localeCompare(b.name));
  }

  schemas(db?: string): SchemaDef[] {
    return this.all('SCHEMA')
      .filter((s) => db === undefined || s.database === db)
      .sort((a, b) => a.database.localeCompare(b.database) || a.name.localeCompare(b.name));
  }

  tables(db?: string, schema?: string): TableDef[] {
    return this.all('TABLE')
      .filter((t) => (db === undefined || t.database === db) && (schema === undefined || t.schema === schema))
      .sort((a, b) => a.database.localeCompare(b.database) || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
  }

  accountObjects(kind: AccountObjectDef['kind']): AccountObjectDef[] {
    return this.all('ACCOUNT_OBJECT')
      .filter((o) => o.kind === kind)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  schemaObject<K extends SchemaObjectDef['objectKind']>(kind: K, db: string, schema: string, name: string): Extract<SchemaObjectDef, { objectKind: K }> | undefined {
    return this.get({ kind: 'SCHEMA_OBJECT', key: [kind, db, schema, name].join(SEP) }) as Extract<SchemaObjectDef, { objectKind: K }> | undefined;
  }

  schemaObjects<K extends SchemaObjectDef['objectKind']>(kind: K, db?: string, schema?: string): Extract<SchemaObjectDef, { objectKind: K }>[] {
    return (this.all('SCHEMA_OBJECT') as SchemaObjectDef[])
      .filter((o): o is Extract<SchemaObjectDef, { objectKind: K }> => o.objectKind === kind)
      .filter((o) => (db === undefined || o.database === db) && (schema === undefined || o.schema === schema))
      .sort((a, b) => a.database.localeCompare(b.database) || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
  }

  grants(): GrantDef[] {
    return this.all('GRANT');
  }
}
