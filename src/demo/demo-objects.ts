/**
 * The objects of the customer project (`floe init`, DESIGN.md §3) the demo watches. A project whose SQL was
 * edited so that these no longer exist still runs; the view then shows what it cannot count as n/a.
 */
export const DEMO_SCHEMA = { database: 'SCD_DEMO', schema: 'SCD2' } as const;

export const DEMO_OBJECTS = {
  raw: 'CUSTOMER_RAW',
  stream: 'CUSTOMER_RAW_STREAM',
  scd1: 'CUSTOMER',
  scd2: 'CUSTOMER_HISTORY',
  pipe: 'CUSTOMER_S3_PIPE',
  task: 'APPLY_CUSTOMER_CHANGES',
} as const;

/** `SCD_DEMO.SCD2.<name>` */
export const qualified = (name: string): string => `${DEMO_SCHEMA.database}.${DEMO_SCHEMA.schema}.${name}`;
