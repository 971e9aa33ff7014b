// Reads the environment once, checks it with zod, and stops the start with a plain message when a value is wrong.
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  HAVEN_DATA_DIR: z.string().default('data'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  NOTIFY_API_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  notifyApiKey: string | undefined;
  logLevel: string;
  secureCookies: boolean;
};

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as people expect from a shell.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Haven cannot start because the configuration is wrong:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  if (value.NODE_ENV === 'production' && !value.SESSION_SECRET) {
    throw new ConfigError('Haven cannot start: SESSION_SECRET must be set (32 characters or more) in production.');
  }
  return {
    env: value.NODE_ENV,
    port: value.PORT,
    host: value.HOST,
    databaseUrl: value.DATABASE_URL,
    dataDir: resolve(value.HAVEN_DATA_DIR),
    // Outside production a fixed development secret keeps sign-ins working across restarts; it protects nothing real.
    sessionSecret: value.SESSION_SECRET ?? 'haven-development-secret-not-for-production-use',
    notifyApiKey: value.NOTIFY_API_KEY,
    logLevel: value.LOG_LEVEL,
    secureCookies: value.NODE_ENV === 'production',
  };
}
