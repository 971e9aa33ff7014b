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
  NOTIFY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  NOTIFY_CALLBACK_TOKEN: z.string().min(16, 'NOTIFY_CALLBACK_TOKEN must be at least 16 characters').optional(),
  // Our template ids by name ("update.sms.en"), as JSON; names not given keep their defaults.
  NOTIFY_TEMPLATE_IDS: z
    .string()
    .transform((text, context) => {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((id) => typeof id === 'string')) {
          return parsed as Record<string, string>;
        }
      } catch {
        // Reported below in plain words.
      }
      context.addIssue({ code: 'custom', message: 'NOTIFY_TEMPLATE_IDS must be JSON like {"update.sms.en": "template id"}' });
      return z.NEVER;
    })
    .optional(),
  NOTIFY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(3000),
  NOTIFY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  HAVEN_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
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
  notifyBaseUrl: string | undefined;
  /** The bearer token Notify sends with delivery receipts; without it the callback refuses every receipt. */
  notifyCallbackToken: string | undefined;
  notifyTemplateIds: Record<string, string>;
  notifyRatePerMinute: number;
  /** The first retry's delay after Notify was unavailable; later ones back off from it. */
  notifyRetryDelaySeconds: number;
  /** Where people sign in, for the link in a notification. */
  havenBaseUrl: string;
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
    notifyBaseUrl: value.NOTIFY_BASE_URL,
    notifyCallbackToken: value.NOTIFY_CALLBACK_TOKEN,
    notifyTemplateIds: value.NOTIFY_TEMPLATE_IDS ?? {},
    notifyRatePerMinute: value.NOTIFY_RATE_PER_MINUTE,
    notifyRetryDelaySeconds: value.NOTIFY_RETRY_DELAY_SECONDS,
    havenBaseUrl: value.HAVEN_BASE_URL.replace(/\/+$/, ''),
    logLevel: value.LOG_LEVEL,
    secureCookies: value.NODE_ENV === 'production',
  };
}
