/**
 * SHOW GRANTS and SHOW PARAMETERS. Grants are recorded, not enforced, in embedded floe; SHOW GRANTS
 * lists them plus the facts every Snowflake account shows (object OWNERSHIP by the creating role, the
 * system role hierarchy, the session user's role).
 */
import { unsupported } from '../../core/errors.js';
import { displayIdent, displayName, type ObjectName } from '../../core/catalog/identifiers.js';
import type { GrantDef } from '../../core/catalog/catalog-model.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { qualify } from '../resolve-names.js';
import { PARAMETERS } from '../session-parameters.js';
import { binaryCompare, ltz, showResult, type ColumnSpecs, type Row } from './show-common.js';

const GRANT_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  privilege: 'TEXT',
  granted_on: 'TEXT',
  name: 'TEXT',
  granted_to: 'TEXT',
  grantee_name: 'TEXT',
  grant_option: 'TEXT',
  granted_by: 'TEXT',
};

const ROLE_GRANT_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  role: 'TEXT',
  granted_to: 'TEXT',
  grantee_name: 'TEXT',
  granted_by: 'TEXT',
};

/** Every grant SHOW GRANTS can list: recorded grants, implicit OWNERSHIP, and the system role grants. */
function allGrants(ctx: ExecContext): GrantDef[] {
  const { catalog } = ctx.engine;
  const out = [...catalog.grants()];
  const own = (createdOn: string, grantedOn: string, name: string, owner: string): void => {
    if (owner !== '') out.push({ createdOn, privilege: 'OWNERSHIP', grantedOn, name, grantedTo: 'ROLE', granteeName: owner, grantOption: true, grantedBy: owner });
  };
  for (const d of catalog.databases()) own(d.createdOn, 'DATABASE', displayIdent(d.name), d.owner);
  for (const s of catalog.schemas()) own(s.createdOn, 'SCHEMA', displayName({ database: s.database, name: s.name }), s.owner);
  for (const t of catalog.tables()) own(t.createdOn, t.kind, displayName(t), t.owner);
  for (const kind of ['ROLE', 'WAREHOUSE', 'USER'] as const) {
    for (const o of catalog.accountObjects(kind)) own(o.createdOn, kind, displayIdent(o.name), o.owner);
  }
  const epoch = catalog.databases()[0]?.createdOn ?? new Date(0).toISOString();
  const roleGrant = (role: string, grantedTo: 'ROLE' | 'USER', grantee: string): GrantDef => ({
    createdOn: epoch,
    privilege: 'USAGE',
    grantedOn: 'ROLE',
    name: role,
    grantedTo,
    granteeName: grantee,
    grantOption: false,
    grantedBy: '',
  });
  out.push(roleGrant('SECURITYADMIN', 'ROLE', 'ACCOUNTADMIN'), roleGrant('SYSADMIN', 'ROLE', 'ACCOUNTADMIN'), roleGrant('USERADMIN', 'ROLE', 'SECURITYADMIN'));
  if (!out.some((g) => g.grantedOn === 'ROLE' && g.grantedTo === 'USER' && g.granteeName === ctx.session.user)) {
    out.push(roleGrant('ACCOUNTADMIN', 'USER', ctx.session.user));
  }
  return out;
}

/** The name a grant row shows for `ON <kind> <name>`, resolved against the session like Snowflake does. */
function grantObjectName(ctx: ExecContext, kind: string, n: ObjectName): string {
  if (kind === 'DATABASE') return displayIdent(n.name);
  if (kind === 'SCHEMA') {
    const database = n.schema ?? ctx.session.database;
    return displayName({ ...(database !== undefined ? { database } : {}), name: n.name });
  }
  if (n.schema === undefined && n.database === undefined && !['TABLE', 'VIEW', 'STAGE', 'SEQUENCE', 'STREAM', 'TASK', 'PIPE', 'FUNCTION', 'PROCEDURE'].includes(kind)) {
    return displayIdent(n.name);
  }
  return displayName(qualify(ctx, n));
}

/**
 * GRANT records the object name as written, possibly unqualified; it matches when its parts equal the
 * trailing parts of the resolved name.
 */
function sameName(stored: string, shown: string): boolean {
  if (stored === shown) return true;
  const a = stored.split('.').map(displayIdent);
  const b = shown.split('.');
  return a.length <= b.length && a.every((p, i) => p === b[b.length - a.length + i]);
}

/** A grant of a role (GRANT ROLE r TO …), as opposed to a privilege on the role object. */
export const isRoleGrant = (g: GrantDef): boolean => g.grantedOn === 'ROLE' && g.privilege === 'USAGE';

const grantRow = (ctx: ExecContext, g: GrantDef): Row => ({
  created_on: ltz(ctx, g.createdOn),
  privilege: g.privilege,
  granted_on: g.grantedOn,
  name: g.name,
  granted_to: g.grantedTo,
  grantee_name: g.granteeName,
  grant_option: g.grantOption ? 'true' : 'false',
  granted_by: g.grantedBy,
  role: g.name,
});

const byPrivilege = (a: GrantDef, b: GrantDef): number =>
  binaryCompare(a.grantedOn, b.grantedOn) || binaryCompare(a.name, b.name) || binaryCompare(a.privilege, b.privilege) || binaryCompare(a.granteeName, b.granteeName);

export async function showGrants(ctx: ExecContext, cur: TokenCursor): Promise<HandlerResult> {
  let filter: (g: GrantDef) => boolean;
  let columns = GRANT_COLUMNS;
  // ON <object>: rows show the resolved name even when GRANT recorded it unqualified.
  let shownName: string | undefined;
  if (cur.acceptWords('TO')) {
    const to = cur.next();
    const grantee = cur.identifier().name;
    if (to.value === 'ROLE') filter = (g) => g.grantedTo === 'ROLE' && g.granteeName === grantee;
    else if (to.value === 'USER') {
      filter = (g) => isRoleGrant(g) && g.grantedTo === 'USER' && g.granteeName === grantee;
      columns = ROLE_GRANT_COLUMNS;
    } else throw unsupported(`SHOW GRANTS TO ${to.value}`);
  } else if (cur.acceptWords('OF')) {
    const of = cur.next();
    if (of.value !== 'ROLE') throw unsupported(`SHOW GRANTS OF ${of.value}`);
    const role = cur.identifier().name;
    filter = (g) => isRoleGrant(g) && g.name === role;
    columns = ROLE_GRANT_COLUMNS;
  } else if (cur.acceptWords('ON', 'ACCOUNT')) {
    filter = (g) => g.grantedOn === 'ACCOUNT';
  } else if (cur.acceptWords('ON')) {
    let kind = cur.next().value;
    // Two-word kinds: EXTERNAL TABLE, MATERIALIZED VIEW, FILE FORMAT, …
    if (cur.peek(1) !== undefined && cur.peek()?.type === 'word' && ['EXTERNAL', 'MATERIALIZED', 'FILE', 'DYNAMIC', 'RESOURCE'].includes(kind)) {
      kind = `${kind}_${cur.next().value}`;
    }
    const name = grantObjectName(ctx, kind, cur.objectName());
    filter = (g) => g.grantedOn === kind && sameName(g.name, name);
    shownName = name;
  } else if (cur.isWord('FUTURE')) {
    throw unsupported('SHOW FUTURE GRANTS');
  } else {
    // Bare SHOW GRANTS lists the roles granted to the current user.
    filter = (g) => isRoleGrant(g) && g.grantedTo === 'USER' && g.granteeName === ctx.session.user;
    columns = ROLE_GRANT_COLUMNS;
  }
  let limit: number | undefined;
  if (cur.acceptWords('LIMIT')) limit = Number(cur.value());
  cur.expectEnd();
  // GRANT SELECT, INSERT ON … records one grant; Snowflake shows one row per privilege.
  const grants = allGrants(ctx).flatMap((g) => g.privilege.split(',').map((privilege) => ({ ...g, privilege: privilege.trim() })));
  const rows = grants
    .filter(filter)
    .map((g) => (shownName === undefined ? g : { ...g, name: shownName }))
    .sort(byPrivilege)
    .map((g) => grantRow(ctx, g));
  return showResult(columns, rows, limit === undefined ? {} : { limit });
}

const PARAMETER_COLUMNS: ColumnSpecs = {
  key: 'TEXT',
  value: 'TEXT',
  default: 'TEXT',
  level: 'TEXT',
  description: 'TEXT',
  type: 'TEXT',
};

export async function showParameters(ctx: ExecContext, cur: TokenCursor): Promise<HandlerResult> {
  let like: string | undefined;
  let level: 'SESSION' | 'ACCOUNT' = 'SESSION';
  while (!cur.atEnd()) {
    if (like === undefined && cur.acceptWords('LIKE')) like = cur.string();
    else if (cur.acceptWords('IN', 'SESSION') || cur.acceptWords('FOR', 'SESSION')) level = 'SESSION';
    // Account and user level: floe has no account settings, so those levels show the defaults.
    else if (cur.acceptWords('IN', 'ACCOUNT') || cur.acceptWords('IN', 'USER') || cur.acceptWords('FOR', 'USER')) {
      level = 'ACCOUNT';
      if (!cur.atEnd() && !cur.isWord('LIKE')) cur.identifier();
    } else if (cur.acceptWords('IN') || cur.acceptWords('FOR')) throw unsupported(`SHOW PARAMETERS IN ${cur.peek()?.value ?? ''}`.trim());
    else throw cur.unexpected('expected LIKE or IN');
  }
  const { params } = ctx.session;
  const rows: Row[] = [...PARAMETERS]
    .sort((a, b) => binaryCompare(a.key, b.key))
    .map((p) => {
      const set = level === 'SESSION' && params.isSet(p.key);
      return { key: p.key, value: set ? params.get(p.key) : p.default, default: p.default, level: set ? 'SESSION' : '', description: p.description, type: p.type };
    });
  return showResult(PARAMETER_COLUMNS, rows, like === undefined ? {} : { like }, 'key');
}
