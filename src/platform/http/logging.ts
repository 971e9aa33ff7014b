// pino JSON logs with the request id on every line. Personal fields are redacted wherever they appear, and URLs are
// logged without their query string, which is the one place a careless link could carry something personal.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../../config.ts';

const PERSONAL_FIELDS = [
  'email', 'password', 'name', 'firstName', 'lastName', 'displayName', 'phone', 'mobile', 'address', 'postcode',
  'dateOfBirth', 'codeWord', 'token', 'secret', 'code', 'body',
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        ...PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`]),
      ],
      censor: '[redacted]',
    },
    serializers: {
      // Headers are left out whole: they carry cookies and addresses that the log does not need.
      req: (request: { id?: string; method?: string; url?: string }) => ({
        id: request.id,
        method: request.method,
        path: (request.url ?? '').split('?')[0],
      }),
    },
  };
}
