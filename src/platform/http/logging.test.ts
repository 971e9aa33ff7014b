import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino, { type LoggerOptions } from 'pino';
import { readConfig } from '../../config.ts';
import { loggerOptions } from './logging.ts';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('redacts personal fields wherever they appear, and cookies', () => {
    const { lines, stream } = capture();
    const logger = pino(loggerOptions(readConfig({ LOG_LEVEL: 'info' })) as LoggerOptions, stream);
    logger.info({ email: 'victim@example.com', person: { firstName: 'Alex', phone: '07700900123' }, req: { headers: { cookie: 'haven_session=secret' } } }, 'x');
    const line = lines.join('');
    assert.doesNotMatch(line, /victim@example\.com|Alex|07700900123|haven_session=secret/);
    assert.match(line, /\[redacted\]/);
  });

  it('logs the path of a request without its query string', () => {
    const options = loggerOptions(readConfig({})) as { serializers: { req: (request: object) => { path: string } } };
    const logged = options.serializers.req({ id: 'r1', method: 'GET', url: '/invitation?token=abc' });
    assert.equal(logged.path, '/invitation');
  });
});
