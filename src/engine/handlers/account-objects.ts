/**
 * Roles, warehouses, users and grants. Embedded floe records them so Snowflake scripts run unchanged and
 * SHOW displays them, but it does not enforce access control (documented in docs/compatibility.md).
 */
import { alreadyExists, notFound } from '../../core/errors.js';
import { displayIdent } from '../../core/catalog/identifiers.js';
import { keys } from '../../core/catalog/catalog.js';
import type { AccountObjectDef, GrantDef } from '../../core/catalog/catalog-model.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { parseProperties } from './properties.js';

const BUILTIN_ROLES = new Set(['ACCOUNTADMIN', 'SYSADMIN', 'SECURITYADMIN', 'USERADMIN', 'PUBLIC', 'ORGADMIN']);
const title = (k: string): string => k[0] + k.slice(1).toLowerCase();

export async function handleAccountObject(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  const { catalog } = ctx.engine;
  const verb = cur.next().value as 'CREATE' | 'DROP' | 'ALTER';
  const orReplace = verb === 'CREATE' && cur.acceptWords('OR', 'REPLACE');
  const kind = cur.next().value as AccountObjectDef['kind'];
  const ifNotExists = verb === 'CREATE' && cur.acceptWords('IF', 'NOT', 'EXISTS');
  const ifExists = verb !== 'CREATE' && cur.acceptWords('IF', 'EXISTS');
  const name = cur.identifier().name;
  const existing = catalog.accountObject(kind, name) ?? (kind === 'ROLE' && BUILTIN_ROLES.has(name) ? ({} as AccountObjectDef) : undefined);

  if (verb === 'CREATE') {
    if (existing && ifNotExists) return statusResult(`${displayIdent(name)} already exists, statement succeeded.`);
    if (existing && !orReplace) throw alreadyExists(title(kind), displayIdent(name));
    const props = parseProperties(cur);
    const comment = props.COMMENT;
    delete props.COMMENT;
    // Passwords and keys are never stored, so they can never be shown back.
    for (const secret of ['PASSWORD', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2']) delete props[secret];
    const def: AccountObjectDef = { kind, name, createdOn: new Date().toISOString(), owner: ctx.session.role, properties: props, ...(comment !== undefined ? { comment } : {}) };
    await commitDdl(ctx, [], { remove: [], put: [{ kind: 'ACCOUNT_OBJECT', def }] });
    if (kind === 'WAREHOUSE') ctx.session.warehouse = name;
    return statusResult(`${title(kind)} ${displayIdent(name)} successfully created.`);
  }
  if (!existing || !catalog.accountObject(kind, name)) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${displayIdent(name)} already dropped).`);
    throw notFound(title(kind), displayIdent(name));
  }
  if (verb === 'DROP') {
    await commitDdl(ctx, [], { remove: [keys.accountObject(kind, name)], put: [] });
    if (kind === 'WAREHOUSE' && ctx.session.warehouse === name) ctx.session.warehouse = undefined;
    return statusResult(`${displayIdent(name)} successfully dropped.`);
  }
  // ALTER <kind> <name> SET/UNSET …, SUSPEND, RESUME: record properties, nothing to enforce.
  const def = catalog.accountObject(kind, name) as AccountObjectDef;
  const next: AccountObjectDef = { ...def, properties: { ...def.properties } };
  if (cur.acceptWords('SET')) {
    const props = parseProperties(cur);
    for (const secret of ['PASSWORD', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2']) delete props[secret];
    if (props.COMMENT !== undefined) next.comment = props.COMMENT;
    delete props.COMMENT;
    Object.assign(next.properties, props);
  } else if (cur.acceptWords('UNSET')) {
    for (const t of cur.rest()) if (t.type === 'word') delete next.properties[t.value];
  } else if (cur.acceptWords('RENAME', 'TO')) {
    next.name = cur.identifier().name;
    await commitDdl(ctx, [], { remove: [keys.accountObject(kind, name)], put: [{ kind: 'ACCOUNT_OBJECT', def: next }] });
    return statusResult('Statement executed successfully.');
  } else {
    cur.rest();
  }
  await commitDdl(ctx, [], { remove: [], put: [{ kind: 'ACCOUNT_OBJECT', def: next }] });
  return statusResult('Statement executed successfully.');
}

/**
 * GRANT <privileges> ON <kind> <name> TO ROLE|USER <grantee> [WITH GRANT OPTION]; GRANT ROLE r TO ROLE|USER x;
 * REVOKE … FROM …. Recorded only.
 */
export async function handleGrant(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  const grant = cur.next().value === 'GRANT';
  const toks = cur.rest();
  const words = toks.map((t) => (t.type === 'word' ? t.value : t.type === 'quoted' ? t.value : t.text));
  const onAt = words.indexOf('ON');
  const toAt = words.lastIndexOf(grant ? 'TO' : 'FROM');
  if (toAt < 0) throw cur.error(`expected ${grant ? 'TO' : 'FROM'}`);
  let privilege: string;
  let grantedOn: string;
  let objectName: string;
  if (onAt >= 0 && onAt < toAt) {
    privilege = words.slice(0, onAt).join(' ').replace(/ , /g, ',');
    const target = words.slice(onAt + 1, toAt);
    const allIn = target[0] === 'ALL' || target[0] === 'FUTURE';
    grantedOn = allIn ? target.slice(0, 2).join(' ') : target.length > 1 ? target[0] : 'TABLE';
    objectName = (allIn ? target.slice(2) : target.length > 1 ? target.slice(1) : target).join('');
  } else {
    privilege = 'USAGE';
    grantedOn = words[0] ?? 'ROLE';
    objectName = words.slice(1, toAt).join('');
  }
  const granteeKind = words[toAt + 1] === 'USER' ? 'USER' : 'ROLE';
  const granteeName = words[toAt + 2] ?? words[toAt + 1] ?? '';
  const def: GrantDef = {
    createdOn: new Date().toISOString(),
    privilege,
    grantedOn,
    name: objectName,
    grantedTo: granteeKind,
    granteeName,
    grantOption: words.includes('GRANT') && words.includes('OPTION'),
    grantedBy: ctx.session.role,
  };
  if (grant) await commitDdl(ctx, [], { remove: [], put: [{ kind: 'GRANT', def }] });
  else {
    const key = [def.privilege, def.grantedOn, def.name, def.grantedTo, def.granteeName].join('\u0000');
    await commitDdl(ctx, [], { remove: [{ kind: 'GRANT', key }], put: [] });
  }
  return statusResult('Statement executed successfully.');
}
