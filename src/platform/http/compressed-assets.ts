// GOV.UK Frontend's, MoJ Frontend's and our own stylesheets and scripts, sent brotli- or gzip-compressed as the
// browser's Accept-Encoding allows: the two frontends' CSS and JS are most of a page's first load (about 350 KB as
// files, about 50 KB compressed). Each file is compressed once per process, the first time it is asked for, on
// libuv's thread pool rather than the event loop; every later request is sent the same bytes from memory. (Compressing
// at start-up instead would cost every test that builds the app a second of CPU for files it never asks for.)
//
// Only these files are compressed. Pages are never: an HTML response carries the CSRF token and reflects what the
// user typed, and compressing the two together lets an attacker who can add text to a request learn the secret from
// the response's length (BREACH). No compression plugin is registered, so nothing else is compressed by accident.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The text types worth compressing; fonts and images are compressed formats already and stay with @fastify/static. */
export const COMPRESSIBLE_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The best encoding the request accepts: brotli, then gzip, else the file as it is. A coding the header gives q=0 is
 * refused, as RFC 9110 says; `*` stands for any coding the header does not name.
 */
export function chooseEncoding(header: string | string[] | undefined): Encoding {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const weights = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gz = weightOf('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

type Variant = { body: Buffer; etag: string };

/** One file's bytes as each encoding sends them, each made on first request and kept. */
function compressedAsset(path: string) {
  const variants = new Map<Encoding, Promise<Variant>>();
  let lastModified: Promise<string> | undefined;
  const make = async (encoding: Encoding): Promise<Variant> => {
    const raw = await readFile(path);
    const body =
      encoding === 'br'
        ? await brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : encoding === 'gzip'
          ? await gzipped(raw, { level: constants.Z_BEST_COMPRESSION })
          : raw;
    // A strong validator of the bytes sent, so a cache never mixes up one encoding's body with another's.
    const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}-${encoding}"`;
    return { body, etag };
  };
  return {
    variant(encoding: Encoding): Promise<Variant> {
      let made = variants.get(encoding);
      if (!made) {
        made = make(encoding);
        // A failed read (the file removed under a running server) is tried again next time, not kept.
        made.catch(() => variants.delete(encoding));
        variants.set(encoding, made);
      }
      return made;
    },
    modified(): Promise<string> {
      lastModified ??= stat(path).then((stats) => stats.mtime.toUTCString());
      return lastModified;
    },
  };
}

/** Every compressible file under the roots, by its URL under `prefix`; a file in an earlier root wins, as @fastify/static's does. */
export function compressibleFiles(prefix: string, roots: readonly string[]): Map<string, { path: string; contentType: string }> {
  const files = new Map<string, { path: string; contentType: string }>();
  for (const root of roots) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      const contentType = COMPRESSIBLE_TYPES[extname(entry.name)];
      if (!entry.isFile() || !contentType || entry.name.startsWith('.')) continue;
      const path = join(entry.parentPath, entry.name);
      const url = prefix + path.slice(root.length).split(sep).filter(Boolean).map(encodeURIComponent).join('/');
      if (!files.has(url)) files.set(url, { path, contentType });
    }
  }
  return files;
}

/**
 * A GET (and HEAD) route for each compressible file under `roots`, answering with the encoding the request accepts.
 * These exact routes are matched before @fastify/static's wildcard one, which still serves everything else (fonts,
 * images) and any file added after start-up.
 */
export function registerCompressedAssets(app: FastifyInstance, options: { prefix: string; roots: readonly string[]; cacheControl: string }): void {
  for (const [url, file] of compressibleFiles(options.prefix, options.roots)) {
    const asset = compressedAsset(file.path);
    app.get(url, async (request: FastifyRequest, reply: FastifyReply) => {
      const encoding = chooseEncoding(request.headers['accept-encoding']);
      const [variant, lastModified] = await Promise.all([asset.variant(encoding), asset.modified()]);
      void reply
        .header('Content-Type', file.contentType)
        .header('Cache-Control', options.cacheControl)
        .header('Vary', 'Accept-Encoding')
        .header('ETag', variant.etag)
        .header('Last-Modified', lastModified);
      if (encoding !== 'identity') void reply.header('Content-Encoding', encoding);
      if (notModified(request.headers['if-none-match'], variant.etag)) return reply.code(304).send();
      return reply.send(variant.body);
    });
  }
}

/** If-None-Match by the weak comparison RFC 9110 asks for on GET and HEAD. */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
