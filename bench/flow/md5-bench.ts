/**
 * One core's MD5 throughput: OpenSSL's (node:crypto) over one stream vs. md5x4.ts over MD5X4_LANES streams at
 * once, as the local bucket's ETag worker pool drives it (the bytes already in the module's memory). Its speed
 * rests on how V8 compiles the module (md5x4.ts keeps the two lane groups' steps interleaved), so this is the
 * check after a Node upgrade. `FLOE_BENCH_MD5_MB`: MiB per stream (default 64, an ETag part).
 */
import { createHash, randomBytes } from 'node:crypto';
import { MD5X4_DATA, MD5X4_LANES, md5x4Instance } from '../../src/adapters/object-store/local/md5x4.js';

const MB = Number(process.env['FLOE_BENCH_MD5_MB'] ?? 64);
const LANE = 512 * 1024; // the worker pool's read per stream
const rounds = Math.max(1, Math.round((MB * 1024 * 1024) / LANE));

export function runMd5Bench(): void {
  const x = md5x4Instance(LANE);
  new Uint8Array(x.memory.buffer).set(randomBytes(MD5X4_LANES * LANE), MD5X4_DATA);
  const lanes = Array.from({ length: MD5X4_LANES }, (_, i) => MD5X4_DATA + i * LANE);
  const chunk = randomBytes(LANE);
  console.log(`\nMD5 on one core, ${rounds * LANE / 1024 / 1024} MiB a stream`);
  for (let run = 0; run < 3; run++) {
    let t0 = performance.now();
    const hash = createHash('md5');
    for (let i = 0; i < rounds; i++) hash.update(chunk);
    hash.digest();
    const openssl = (rounds * LANE) / 1e9 / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    x.init();
    for (let i = 0; i < rounds; i++) x.blocks(...lanes, LANE / 64);
    x.finish(...lanes, 0, rounds * LANE);
    const simd = (MD5X4_LANES * rounds * LANE) / 1e9 / ((performance.now() - t0) / 1000);
    console.log(`  OpenSSL ${openssl.toFixed(2)} GB/s; md5x4 (${MD5X4_LANES} streams) ${simd.toFixed(2)} GB/s = ${(simd / openssl).toFixed(2)}×`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) runMd5Bench();
