/**
 * SHOW ROLES / WAREHOUSES / USERS. Embedded floe has one user and no compute to manage, so these list
 * what the catalog recorded (CREATE ROLE/WAREHOUSE/USER) plus what every Snowflake account has: the
 * system roles and the session's user.
 */
import { createHash } from 'node:crypto';
import type { AccountObjectDef } from '../../core/catalog/catalog-model.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { isRoleGrant } from './show-grants.js';
import { binaryCompare, ltz, parseShowOptions, showResult, type ColumnSpecs, type Row } from './show-common.js';

/** The system roles have no creation record; floe dates them to when this process started. */
const SYSTEM_CREATED_ON = new Date().toISOString();

const SYSTEM_ROLES: Record<string, string> = {
  ACCOUNTADMIN: 'Account administrator can manage all aspects of the account.',
  PUBLIC: 'Public role is automatically available to every user in the account.',
  SECURITYADMIN: 'Security administrator can manage security aspects of the account.',
  SYSADMIN: 'System administrator can create and manage databases and warehouses.',
  USERADMIN: 'User administrator can create and manage users and roles',
};

/** Snowflake's built-in role hierarchy as [granted role, grantee role] edges. */
const SYSTEM_ROLE_EDGES: [string, string][] = [
  ['SECURITYADMIN', 'ACCOUNTADMIN'],
  ['SYSADMIN', 'ACCOUNTADMIN'],
  ['USERADMIN', 'SECURITYADMIN'],
];

const ROLE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  is_default: 'TEXT',
  is_current: 'TEXT',
  is_inherited: 'TEXT',
  assigned_to_users: 'NUMBER',
  granted_to_roles: 'NUMBER',
  granted_roles: 'NUMBER',
  owner: 'TEXT',
  comment: 'TEXT',
  owner_role_type: 'TEXT',
};

/** The session user's default role: its DEFAULT_ROLE if it was created, else ACCOUNTADMIN (floe's start role). */
function defaultRole(ctx: ExecContext): string {
  return ctx.engine.catalog.accountObject('USER', ctx.session.user)?.properties.DEFAULT_ROLE ?? 'ACCOUNTADMIN';
}

export async function showRoles(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const grants = ctx.engine.catalog.grants().filter(isRoleGrant);
  const edges: [string, string][] = [...SYSTEM_ROLE_EDGES, ...grants.filter((g) => g.grantedTo === 'ROLE').map((g): [string, string] => [g.name, g.granteeName])];
  // Roles the current role inherits: everything reachable down the hierarchy, plus PUBLIC.
  const inherited = new Set<string>(['PUBLIC']);
  const walk = (r: string): void => {
    for (const [granted, grantee] of edges) {
      if (grantee === r && !inherited.has(granted)) {
        inherited.add(granted);
        walk(granted);
      }
    }
  };
  walk(ctx.session.role);
  inherited.delete(ctx.session.role);
  const count = (pred: (e: [string, string]) => boolean): number => edges.filter(pred).length;
  const role = (name: string, createdOn: string, owner: string, comment: string): Row => ({
    created_on: ltz(ctx, createdOn),
    name,
    is_default: name === defaultRole(ctx) ? 'Y' : 'N',
    is_current: name === ctx.session.role ? 'Y' : 'N',
    is_inherited: inherited.has(name) ? 'Y' : 'N',
    assigned_to_users: (name === defaultRole(ctx) ? 1 : 0) + grants.filter((g) => g.grantedTo === 'USER' && g.name === name).length,
    granted_to_roles: count(([granted]) => granted === name),
    granted_roles: count(([, grantee]) => grantee === name),
    owner,
    comment,
    owner_role_type: owner === '' ? '' : 'ROLE',
  });
  const rows = Object.entries(SYSTEM_ROLES).map(([name, comment]) => role(name, SYSTEM_CREATED_ON, '', comment));
  for (const r of ctx.engine.catalog.accountObjects('ROLE')) {
    if (!(r.name in SYSTEM_ROLES)) rows.push(role(r.name, r.createdOn, r.owner, r.comment ?? ''));
  }
  return showResult(ROLE_COLUMNS, sortByName(rows), opts);
}

const sortByName = (rows: Row[]): Row[] => rows.sort((a, b) => binaryCompare(String(a.name), String(b.name)));

const WAREHOUSE_COLUMNS: ColumnSpecs = {
  name: 'TEXT',
  state: 'TEXT',
  type: 'TEXT',
  size: 'TEXT',
  min_cluster_count: 'NUMBER',
  max_cluster_count: 'NUMBER',
  started_clusters: 'NUMBER',
  running: 'NUMBER',
  queued: 'NUMBER',
  is_default: 'TEXT',
  is_current: 'TEXT',
  auto_suspend: 'NUMBER',
  auto_resume: 'TEXT',
  available: 'TEXT',
  provisioning: 'TEXT',
  quiescing: 'TEXT',
  other: 'TEXT',
  created_on: 'TIMESTAMP_LTZ',
  resumed_on: 'TIMESTAMP_LTZ',
  updated_on: 'TIMESTAMP_LTZ',
  owner: 'TEXT',
  comment: 'TEXT',
  enable_query_acceleration: 'TEXT',
  query_acceleration_max_scale_factor: 'NUMBER',
  resource_monitor: 'TEXT',
  actives: 'NUMBER',
  pendings: 'NUMBER',
  failed: 'NUMBER',
  suspended: 'NUMBER',
  uuid: 'TEXT',
  scaling_policy: 'TEXT',
  budget: 'TEXT',
  owner_role_type: 'TEXT',
};

/** WAREHOUSE_SIZE as written (XSMALL, 'X-SMALL', X2LARGE, …) → Snowflake's display form ('X-Small', '2X-Large'). */
export function warehouseSize(raw: string | undefined): string {
  const k = (raw ?? 'XSMALL').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const fixed: Record<string, string> = { XSMALL: 'X-Small', SMALL: 'Small', MEDIUM: 'Medium', LARGE: 'Large', XLARGE: 'X-Large', XXLARGE: '2X-Large', XXXLARGE: '3X-Large' };
  if (fixed[k]) return fixed[k];
  const m = /^(?:X(\d)LARGE|(\d)XLARGE)$/.exec(k);
  return m ? `${m[1] ?? m[2]}X-Large` : (raw ?? 'X-Small');
}

const isTrue = (v: string | undefined, dflt: boolean): boolean => (v === undefined ? dflt : ['TRUE', '1', 'ON', 'YES'].includes(v.toUpperCase()));

/** A stable numeric id for an object, standing in for Snowflake's internal uuid. */
const numericId = (s: string): string => BigInt('0x' + createHash('sha256').update(s).digest('hex').slice(0, 12)).toString();

export async function showWarehouses(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const rows = ctx.engine.catalog.accountObjects('WAREHOUSE').map((w: AccountObjectDef): Row => {
    const p = w.properties;
    const started = p.STATE !== undefined ? p.STATE.toUpperCase() === 'STARTED' : !isTrue(p.INITIALLY_SUSPENDED, false);
    const clusters = Number(p.MIN_CLUSTER_COUNT ?? 1);
    const suspend = p.AUTO_SUSPEND === undefined ? 600 : /^\d+$/.test(p.AUTO_SUSPEND) && p.AUTO_SUSPEND !== '0' ? Number(p.AUTO_SUSPEND) : null;
    return {
      name: w.name,
      state: started ? 'STARTED' : 'SUSPENDED',
      type: (p.WAREHOUSE_TYPE ?? 'STANDARD').toUpperCase().replace(/-/g, '_'),
      size: warehouseSize(p.WAREHOUSE_SIZE),
      min_cluster_count: clusters,
      max_cluster_count: Number(p.MAX_CLUSTER_COUNT ?? clusters),
      started_clusters: started ? clusters : 0,
      running: 0,
      queued: 0,
      is_default: 'N',
      is_current: w.name === ctx.session.warehouse ? 'Y' : 'N',
      auto_suspend: suspend,
      auto_resume: isTrue(p.AUTO_RESUME, true) ? 'true' : 'false',
      available: started ? '100' : '',
      provisioning: started ? '0' : '',
      quiescing: started ? '0' : '',
      other: started ? '0' : '',
      created_on: ltz(ctx, w.createdOn),
      resumed_on: ltz(ctx, w.createdOn),
      updated_on: ltz(ctx, w.createdOn),
      owner: w.owner,
      comment: w.comment ?? '',
      enable_query_acceleration: isTrue(p.ENABLE_QUERY_ACCELERATION, false) ? 'true' : 'false',
      query_acceleration_max_scale_factor: Number(p.QUERY_ACCELERATION_MAX_SCALE_FACTOR ?? 8),
      resource_monitor: p.RESOURCE_MONITOR ?? 'null',
      actives: started ? clusters : 0,
      pendings: 0,
      failed: 0,
      suspended: started ? 0 : clusters,
      uuid: numericId(`WAREHOUSE\u0000${w.name}`),
      scaling_policy: (p.SCALING_POLICY ?? 'STANDARD').toUpperCase(),
      budget: null,
      owner_role_type: 'ROLE',
    };
  });
  return showResult(WAREHOUSE_COLUMNS, sortByName(rows), opts);
}

const USER_COLUMNS: ColumnSpecs = {
  name: 'TEXT',
  created_on: 'TIMESTAMP_LTZ',
  login_name: 'TEXT',
  display_name: 'TEXT',
  first_name: 'TEXT',
  last_name: 'TEXT',
  email: 'TEXT',
  mins_to_unlock: 'TEXT',
  days_to_expiry: 'TEXT',
  comment: 'TEXT',
  disabled: 'TEXT',
  must_change_password: 'TEXT',
  snowflake_lock: 'TEXT',
  default_warehouse: 'TEXT',
  default_namespace: 'TEXT',
  default_role: 'TEXT',
  default_secondary_roles: 'TEXT',
  ext_authn_duo: 'TEXT',
  ext_authn_uid: 'TEXT',
  mins_to_bypass_mfa: 'TEXT',
  owner: 'TEXT',
  last_success_login: 'TIMESTAMP_LTZ',
  expires_at_time: 'TIMESTAMP_LTZ',
  locked_until_time: 'TIMESTAMP_LTZ',
  has_password: 'TEXT',
  has_rsa_public_key: 'TEXT',
  type: 'TEXT',
  has_mfa: 'TEXT',
};

export async function showUsers(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const users = ctx.engine.catalog.accountObjects('USER');
  if (!users.some((u) => u.name === ctx.session.user)) {
    // The session's user exists in every floe account though nothing created it.
    users.push({ kind: 'USER', name: ctx.session.user, createdOn: SYSTEM_CREATED_ON, owner: '', properties: { DEFAULT_ROLE: 'ACCOUNTADMIN' } });
  }
  const rows = users.map((u): Row => {
    const p = u.properties;
    return {
      name: u.name,
      created_on: ltz(ctx, u.createdOn),
      login_name: (p.LOGIN_NAME ?? u.name).toUpperCase(),
      display_name: p.DISPLAY_NAME ?? u.name,
      first_name: p.FIRST_NAME ?? null,
      last_name: p.LAST_NAME ?? null,
      email: p.EMAIL ?? null,
      mins_to_unlock: null,
      days_to_expiry: null,
      comment: u.comment ?? null,
      disabled: isTrue(p.DISABLED, false) ? 'true' : 'false',
      must_change_password: isTrue(p.MUST_CHANGE_PASSWORD, false) ? 'true' : 'false',
      snowflake_lock: 'false',
      default_warehouse: p.DEFAULT_WAREHOUSE ?? null,
      default_namespace: p.DEFAULT_NAMESPACE ?? null,
      default_role: p.DEFAULT_ROLE ?? null,
      default_secondary_roles: p.DEFAULT_SECONDARY_ROLES ?? null,
      ext_authn_duo: 'false',
      ext_authn_uid: null,
      mins_to_bypass_mfa: null,
      owner: u.owner,
      last_success_login: null,
      expires_at_time: null,
      locked_until_time: null,
      has_password: p.PASSWORD !== undefined ? 'true' : 'false',
      has_rsa_public_key: p.RSA_PUBLIC_KEY !== undefined ? 'true' : 'false',
      type: p.TYPE ?? null,
      has_mfa: 'false',
    };
  });
  return showResult(USER_COLUMNS, sortByName(rows), opts);
}
