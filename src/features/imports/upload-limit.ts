// Refuses a referral file larger than the limit from its Content-Length, before a byte of it is read. A body sent
// without a length is cut off by the parsers' own limits as it arrives.
import type { FastifyInstance } from 'fastify';
import { MAX_FILE_BYTES } from './rules.ts';

/** Room for a multipart form's boundaries and its other fields around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export class FileTooLarge extends Error {
  readonly statusCode = 413;
  readonly code = 'HAVEN_FILE_TOO_LARGE';
  constructor() {
    super(`The file must be smaller than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    this.name = 'FileTooLarge';
  }
}

export function refuseOversizedFiles(scope: FastifyInstance): void {
  scope.addHook('onRequest', (request, _reply, done) => {
    const length = Number(request.headers['content-length'] ?? 0);
    done(length > MAX_FILE_BYTES + FORM_OVERHEAD_BYTES ? new FileTooLarge() : undefined);
  });
}
