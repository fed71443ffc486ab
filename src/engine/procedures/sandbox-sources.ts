/**
 * Source text run inside a JavaScript procedure's worker. Kept as plain JavaScript strings (not compiled
 * functions) so what runs in the sandbox is exactly this text, whatever tool transpiled floe.
 *
 * HARDEN runs first inside the procedure's vm context and removes what could allocate memory outside the
 * worker's heap limit. FACADE is evaluated inside the same context and returns `install(host)`, which
 * defines the `snowflake` object; `host` (a worker function taking and returning JSON strings, never
 * throwing) is captured in a closure and never exposed, so procedure code only ever sees objects of its
 * own realm. WORKER is the worker's entry point.
 */

export const SANDBOX_FILENAME = '__floe_procedure__';
export const FACADE_FILENAME = '__floe_snowflake_api__';

export const HARDEN_SOURCE = `(() => {
  for (const k of ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array',
    'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array',
    'BigInt64Array', 'BigUint64Array', 'FinalizationRegistry', 'WeakRef', 'console']) delete globalThis[k];
})();`;

export const FACADE_SOURCE = String.raw`(function install(host) {
  'use strict';
  const hostCall = host;
  const sqlError = (e) => {
    const err = new Error(e.message);
    err.code = e.code; err.state = e.state; err.message = e.message;
    Object.defineProperty(err, '__floeSql', { value: true });
    return err;
  };
  const toWire = (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return Number.isInteger(v) ? ['I', String(v)] : ['F', Number.isFinite(v) ? v : String(v)];
    if (typeof v === 'string') return ['S', v];
    if (typeof v === 'boolean') return ['B', v];
    if (typeof v === 'bigint') return ['I', v.toString()];
    if (v instanceof Date) return ['T', v.toISOString()];
    return undefined;
  };
  const bindWire = (v, i) => {
    const w = toWire(v);
    if (w === undefined) throw new Error('Invalid binds argument: element ' + i + ' (' + typeof v + ') is not a supported bind type.');
    return w;
  };
  const returnWire = (v) => {
    const w = toWire(v);
    if (w !== undefined) return w;
    return ['J', JSON.stringify(v)];
  };
  const toDate = (text, type) => {
    const m = /^(-?\d+)-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?(?: ([+-])(\d\d)(\d\d))?$/.exec(text);
    if (!m) return text;
    const ms = m[7] ? Number((m[7] + '000').slice(0, 3)) : 0;
    let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] || 0), Number(m[5] || 0), Number(m[6] || 0), ms);
    if (m[8]) t -= (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60000;
    return new Date(t);
  };
  const toJs = (v, col) => {
    if (v === null || v === undefined) return null;
    switch (col.type) {
      case 'NUMBER': case 'FLOAT':
        return typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v);
      case 'DATE': case 'TIMESTAMP_NTZ': case 'TIMESTAMP_LTZ': case 'TIMESTAMP_TZ':
        return toDate(String(v), col.type);
      case 'VARIANT': case 'OBJECT': case 'ARRAY':
        try { return JSON.parse(String(v)); } catch (e) { return String(v); }
      default:
        return v;
    }
  };
  const call = (sqlText, binds) => {
    if (typeof sqlText !== 'string') throw new Error('Missing sqlText: the statement text must be a string.');
    if (binds !== undefined && !Array.isArray(binds)) throw new Error('Invalid binds argument: binds must be an array.');
    const req = JSON.stringify({ sql: sqlText, binds: (binds || []).map(bindWire) });
    const res = JSON.parse(hostCall(req));
    if (!res.ok) throw sqlError(res.error);
    return res;
  };
  const colIndex = (cols, c, what) => {
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 1 || c > cols.length) throw new Error(what + ': column index ' + c + ' is out of range (columns are numbered 1 to ' + cols.length + ').');
      return c - 1;
    }
    const i = cols.findIndex((x) => x.name === c);
    if (i < 0) throw new Error(what + ": column name '" + c + "' does not exist (unquoted names are upper case).");
    return i;
  };
  const typeName = (col) => col.type === 'TEXT' ? 'TEXT' : col.type;
  class ResultSet {
    #r; #pos = -1;
    constructor(r) { this.#r = r; }
    next() {
      if (this.#pos + 1 >= this.#r.rows.length) { this.#pos = this.#r.rows.length; return false; }
      this.#pos++;
      const row = this.#r.rows[this.#pos];
      this.#r.columns.forEach((c, i) => { this[c.name] = toJs(row[i], c); });
      return true;
    }
    #row(what) {
      if (this.#pos < 0 || this.#pos >= this.#r.rows.length) throw new Error(what + ': ResultSet is empty or not prepared (call next() first).');
      return this.#r.rows[this.#pos];
    }
    getColumnValue(c) { const i = colIndex(this.#r.columns, c, 'getColumnValue'); return toJs(this.#row('getColumnValue')[i], this.#r.columns[i]); }
    getColumnValueAsString(c) { const i = colIndex(this.#r.columns, c, 'getColumnValueAsString'); const v = this.#row('getColumnValueAsString')[i]; return v === null ? null : String(v); }
    getColumnCount() { return this.#r.columns.length; }
    getColumnName(c) { return this.#r.columns[colIndex(this.#r.columns, c, 'getColumnName')].name; }
    getColumnSqlType(c) { return typeName(this.#r.columns[colIndex(this.#r.columns, c, 'getColumnSqlType')]); }
    getColumnType(c) { return typeName(this.#r.columns[colIndex(this.#r.columns, c, 'getColumnType')]); }
    getColumnScale(c) { return this.#r.columns[colIndex(this.#r.columns, c, 'getColumnScale')].scale; }
    getNumRowsAffected() { return this.#r.rowsAffected; }
    getRowCount() { return this.#r.rows.length; }
    getQueryId() { return this.#r.queryId; }
  }
  class Statement {
    #sql; #binds; #r = null;
    constructor(o) {
      if (!o || typeof o.sqlText !== 'string') throw new Error('Missing sqlText: createStatement needs {sqlText: "…"}.');
      this.#sql = o.sqlText; this.#binds = o.binds;
    }
    execute() { this.#r = call(this.#sql, this.#binds); return new ResultSet(this.#r); }
    #done(what) { if (!this.#r) throw new Error('Statement is not executed yet.'); return this.#r; }
    #col(c, what) { const r = this.#done(what); return r.columns[colIndex(r.columns, c, what)]; }
    getSqlText() { return this.#sql; }
    getQueryId() { return this.#done('getQueryId').queryId; }
    getRowCount() { return this.#done('getRowCount').rows.length; }
    getColumnCount() { return this.#done('getColumnCount').columns.length; }
    getColumnName(c) { return this.#col(c, 'getColumnName').name; }
    getColumnType(c) { return typeName(this.#col(c, 'getColumnType')); }
    getColumnSqlType(c) { return typeName(this.#col(c, 'getColumnSqlType')); }
    getColumnScale(c) { return this.#col(c, 'getColumnScale').scale; }
    isColumnNullable(c) { return this.#col(c, 'isColumnNullable').nullable; }
    isColumnText(c) { return this.#col(c, 'isColumnText').type === 'TEXT'; }
    isColumnNumber(c) { const t = this.#col(c, 'isColumnNumber').type; return t === 'NUMBER' || t === 'FLOAT'; }
    isColumnBoolean(c) { return this.#col(c, 'isColumnBoolean').type === 'BOOLEAN'; }
    isColumnDate(c) { return this.#col(c, 'isColumnDate').type === 'DATE'; }
    isColumnTime(c) { return this.#col(c, 'isColumnTime').type === 'TIME'; }
    isColumnTimestamp(c) { return this.#col(c, 'isColumnTimestamp').type.startsWith('TIMESTAMP'); }
    isColumnVariant(c) { return this.#col(c, 'isColumnVariant').type === 'VARIANT'; }
    isColumnObject(c) { return this.#col(c, 'isColumnObject').type === 'OBJECT'; }
    isColumnArray(c) { return this.#col(c, 'isColumnArray').type === 'ARRAY'; }
    isColumnBinary(c) { return this.#col(c, 'isColumnBinary').type === 'BINARY'; }
    getNumRowsAffected() { return this.#done('getNumRowsAffected').rowsAffected; }
    getNumRowsInserted() { return this.#done('getNumRowsInserted').counts.inserted; }
    getNumRowsUpdated() { return this.#done('getNumRowsUpdated').counts.updated; }
    getNumRowsDeleted() { return this.#done('getNumRowsDeleted').counts.deleted; }
    getNumDuplicateRowsUpdated() { return this.#done('getNumDuplicateRowsUpdated').counts.duplicates; }
  }
  const snowflake = Object.freeze({
    createStatement: (o) => new Statement(o),
    execute: (o) => {
      if (!o || typeof o.sqlText !== 'string') throw new Error('Missing sqlText: execute needs {sqlText: "…"}.');
      return new Statement(o).execute();
    },
    log: () => undefined,
    addEvent: () => undefined,
    setSpanAttribute: () => undefined,
  });
  Object.defineProperty(globalThis, 'snowflake', { value: snowflake, writable: false, configurable: false, enumerable: false });
  const describe = (e) => {
    try {
      if (e instanceof Error) return { name: String(e.name), message: String(e.message), stack: String(e.stack), sql: e.__floeSql === true };
      return { name: '', message: String(e), stack: '', sql: false };
    } catch (x) {
      return { name: '', message: '(an exception that cannot be shown)', stack: '', sql: false };
    }
  };
  return (fn, argsJson) => {
    try {
      const a = JSON.parse(argsJson);
      const value = fn(...a.values.map((v, i) => toJs(v, a.columns[i])));
      return JSON.stringify({ ok: true, value: returnWire(value) });
    } catch (e) {
      return JSON.stringify({ ok: false, error: describe(e) });
    }
  };
})`;

export const WORKER_SOURCE = String.raw`
const { workerData, parentPort, receiveMessageOnPort } = require('node:worker_threads');
const vm = require('node:vm');
const { port, signal, procSource, argsJson } = workerData;
const flag = new Int32Array(signal);
// A procedure is synchronous: promises it leaves behind (e.g. a refused dynamic import) never settle in its time.
process.on('unhandledRejection', () => undefined);
const host = (req) => {
  try {
    Atomics.store(flag, 0, 0);
    port.postMessage(req);
    Atomics.wait(flag, 0, 0);
    const m = receiveMessageOnPort(port);
    return m && typeof m.message === 'string' ? m.message : '{"ok":false,"error":{"message":"no answer from the engine","code":"","state":""}}';
  } catch (e) {
    return '{"ok":false,"error":{"message":"the engine call failed","code":"","state":""}}';
  }
};
const context = vm.createContext(Object.create(null), { codeGeneration: { strings: true, wasm: false } });
vm.runInContext(workerData.harden, context);
const run = vm.runInContext(workerData.facade, context, { filename: workerData.facadeFile })(host);
let fn;
try {
  fn = new vm.Script(procSource, { filename: workerData.file, lineOffset: -1 }).runInContext(context);
} catch (e) {
  parentPort.postMessage(JSON.stringify({ ok: false, compile: true, error: { name: String(e && e.name), message: String(e && e.message), stack: String(e && e.stack), sql: false } }));
  fn = undefined;
}
if (fn) parentPort.postMessage(run(fn, argsJson));
`;
