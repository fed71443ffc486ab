/**
 * Catalog objects of the loading layer: stages, file formats and pipes. They live in a schema like tables
 * but have no physical backend object; everything about them is catalog metadata.
 */
export interface SchemaObjectBase {
  database: string;
  schema: string;
  name: string;
  createdOn: string; // ISO instant
  owner: string;
  comment?: string;
}

/** File format options as written (upper-case keys); lists (NULL_IF) keep their items. */
export type FormatOptions = Record<string, string | string[]>;

/** Either a named file format or inline options (TYPE plus type options). */
export type FileFormatSpec = { formatName: string } | { options: FormatOptions };

export interface StageDef extends SchemaObjectBase {
  objectKind: 'STAGE';
  /** External stages: the URL as written (`s3://bucket/path/`, `file:///dir/`); undefined = internal. */
  url?: string;
  storageIntegration?: string;
  /**
   * Whether CREDENTIALS were given. floe never stores them: the bucket binding in floe.yaml says how to reach
   * the bucket, so secrets stay out of the warehouse file and SHOW / DESCRIBE output.
   */
  hasCredentials: boolean;
  fileFormat: FileFormatSpec;
  temporary?: boolean;
  /** Copy options given on the stage (Snowflake still honours them; COPY's own options win). */
  copyOptions?: FormatOptions;
}

export interface FileFormatDef extends SchemaObjectBase {
  objectKind: 'FILE_FORMAT';
  options: FormatOptions;
}

export interface PipeDef extends SchemaObjectBase {
  objectKind: 'PIPE';
  autoIngest: boolean;
  /** The COPY statement as written (SHOW PIPES `definition`). */
  definition: string;
  /** Pipe generation: changes on CREATE OR REPLACE, so history of the old pipe no longer applies. */
  pipeId: string;
  paused: boolean;
  /** When PIPE_EXECUTION_PAUSED was last set to TRUE (ISO instant): a pipe paused 14 days is stale. */
  pausedOn?: string;
  integration?: string;
  errorIntegration?: string;
  awsSnsTopic?: string;
}

export type SchemaObjectDef = StageDef | FileFormatDef | PipeDef | ProcedureDef;

import type { ProcedureDef } from './procedure-def.js';
