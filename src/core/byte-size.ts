/**
 * Sizes as floe.yaml and DuckDB write them ('512MB', '1.5 GB', '512MiB'): KB … TB in powers of 1000, KiB … TiB in
 * powers of 1024 ('512MB' = 512 × 10^6 bytes, what DuckDB shows as 488.2 MiB).
 */
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGT])(I?)B$/i;
const POWERS: Record<string, number> = { K: 1, M: 2, G: 3, T: 4 };

/** Bytes of a size, or undefined when the text is not one. */
export function byteSize(text: string): number | undefined {
  const m = SIZE.exec(text);
  if (!m) return undefined;
  const power = POWERS[m[2]!.toUpperCase()]!;
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
}

/** Bytes of a size; throws on anything else. */
export function parseSize(text: string): number {
  const bytes = byteSize(text);
  if (bytes === undefined) throw new Error(`not a size: '${text}' (e.g. '512MB' or '1GiB')`);
  return bytes;
}
