/**
 * Gzip for cached pages without compressing them again for each response (issue 15): the fixed pieces
 * of a cached page (routes/page-cache.ts) are compressed once, each as its own run of deflate blocks
 * ended by a sync flush (so it ends on a byte boundary); a response is the gzip header, those runs with
 * the per-response values (nonce, CSRF token) between them as stored (uncompressed) deflate blocks, a
 * last empty block, and the CRC-32 and length of the whole page (RFC 1951 §3.2.4, RFC 1952 §2.3). A
 * standard gzip stream: any client inflates it as one. Only the CRC is computed per response.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { header } from '../http';
import type { Context } from 'hono';

/** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty stored block with BFINAL set. */
const LAST_BLOCK = Buffer.from([1, 0, 0, 0xff, 0xff]);

/** The fixed pieces of a cached page (its text between the slots, as bytes), compressed once. */
export function compressPieces(fixed: readonly Buffer[]): Buffer[] {
  return fixed.map((p) => deflateRawSync(p, { finishFlush: constants.Z_SYNC_FLUSH }));
}

/** A stored block holding a short value (a nonce, a token: far under the 65,535-byte limit). */
function stored(data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(data.length, 1);
  head.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([head, data]);
}

/**
 * The page as gzip: its fixed pieces (as bytes, and compressed) with each slot's value between two of
 * them. The CRC runs over bytes already encoded: nothing of the page is encoded again per response.
 */
export function gzipPage(fixed: readonly Buffer[], compressed: readonly Buffer[], values: readonly Buffer[]): Buffer<ArrayBuffer> {
  const parts: Buffer[] = [GZIP_HEADER, compressed[0]!];
  let crc = crc32(fixed[0]!);
  let size = fixed[0]!.length;
  for (let i = 1; i < fixed.length; i += 1) {
    const value = values[i - 1]!;
    parts.push(stored(value), compressed[i]!);
    crc = crc32(fixed[i]!, crc32(value, crc));
    size += value.length + fixed[i]!.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  parts.push(LAST_BLOCK, trailer);
  // Buffer.concat allocates its own (never shared) memory.
  return Buffer.concat(parts) as Buffer<ArrayBuffer>;
}

/**
 * Whether this response should be the precompressed gzip: the client takes gzip at full weight (what
 * hono/compress would choose too; any other choice is left to server/middleware/compression.ts).
 */
export function wantsGzip(c: Context): boolean {
  if (c.req.method === 'HEAD') return false;
  const accept = header(c, 'accept-encoding');
  if (!accept || !/gzip|\*/i.test(accept)) return false;
  let q: number | undefined;
  let wildcard: number | undefined;
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().split(';');
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/i.exec(p)?.[1]).find(Boolean);
    const value = weight === undefined ? 1 : Number(weight);
    if (name!.trim().toLowerCase() === 'gzip') q = value;
    else if (name!.trim() === '*') wildcard = value;
  }
  return (q ?? wildcard ?? 0) === 1;
}
