// Sends one email or text message through GOV.UK Notify (notifications-node-client) and says plainly what happened:
// accepted, rejected for good (never retry), or Notify unavailable (retry later). The caller decides about retries;
// this file only classifies. Nothing here logs or returns a recipient: reasons come from Notify's error codes and
// messages, with the recipient and personalisation values scrubbed out in case Notify ever echoes them.
import { createRequire } from 'node:module';
import { NotifyClient } from 'notifications-node-client';

export type NotifyChannel = 'email' | 'sms';

export type NotifyMessage = {
  channel: NotifyChannel;
  recipient: string;
  templateId: string;
  personalisation: Record<string, string>;
  /** Our own id for this message: Notify stores it, so a lost answer can be looked up instead of sending twice. */
  reference: string;
};

/** 'rejected' is Notify's 4xx other than 429 (400 bad recipient or template, 403 bad key): sending again cannot help. */
export type NotifyResult = { kind: 'accepted'; notifyId: string } | { kind: 'rejected'; status: number; reason: string };

/** Notify could not take the request now (429, 5xx, timeout, no connection): try again later. */
export class NotifyUnavailable extends Error {
  status?: number;
  retryAfterSeconds?: number;
  constructor(message: string, details: { status?: number; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'NotifyUnavailable';
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export type NotifySender = {
  send(message: NotifyMessage): Promise<NotifyResult>;
  /** The notification Notify holds with this reference, if any: how a retry learns an earlier attempt got through. */
  findByReference(reference: string): Promise<{ notifyId: string; status: string } | undefined>;
};

export const NOTIFY_PRODUCTION_URL = 'https://api.notifications.service.gov.uk';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REASON_LENGTH = 300;

// The HTTP client the Notify client takes (an axios instance), named through the client's own types.
type NotifyHttp = Parameters<NotifyClient['setClient']>[0];
// What this file reads of the errors axios throws.
type HttpError = { isAxiosError: true; code?: string; response?: { status: number; data: unknown; headers: Record<string, unknown> } };
type NotifyErrorBody = { status_code?: number; errors?: { error?: string; message?: string }[] };
type NotificationList = { notifications?: { id: string; reference: string | null; status: string }[] };

export function createNotifyClientSender(options: { apiKey: string; baseUrl?: string; timeoutMs?: number }): NotifySender {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new NotifyClient(options.baseUrl ?? NOTIFY_PRODUCTION_URL, options.apiKey);
  client.setClient(httpClientWithDeadline(timeoutMs));

  return {
    async send(message) {
      const sendOptions = { personalisation: message.personalisation, reference: message.reference };
      try {
        const response =
          message.channel === 'email'
            ? await client.sendEmail(message.templateId, message.recipient, sendOptions)
            : await client.sendSms(message.templateId, message.recipient, sendOptions);
        return { kind: 'accepted', notifyId: response.data.id };
      } catch (error) {
        const failure = classify(error, [message.recipient, ...Object.values(message.personalisation)]);
        if (failure.kind === 'unavailable') throw failure.error;
        return { kind: 'rejected', status: failure.status, reason: failure.reason };
      }
    },

    async findByReference(reference) {
      try {
        const response = await client.getNotifications(undefined, undefined, reference);
        const found = (response.data as NotificationList).notifications?.find((notification) => notification.reference === reference);
        return found ? { notifyId: found.id, status: found.status } : undefined;
      } catch (error) {
        const failure = classify(error, []);
        if (failure.kind === 'unavailable') throw failure.error;
        throw new Error(`Notify refused to look up a reference (${failure.status}): ${failure.reason}`);
      }
    },
  };
}

/**
 * The same axios the client would use on its own (resolved from the client's package, not ours), with a time limit:
 * axios's timeout catches a silent socket, and a per-request abort signal bounds the whole exchange.
 */
function httpClientWithDeadline(timeoutMs: number): NotifyHttp {
  const requireFromClient = createRequire(import.meta.resolve('notifications-node-client'));
  const axios = requireFromClient('axios') as { create(config: { timeout: number }): NotifyHttp };
  const http = axios.create({ timeout: timeoutMs });
  http.interceptors.request.use((config) => {
    config.signal = AbortSignal.timeout(timeoutMs);
    return config;
  });
  return http;
}

type Failure = { kind: 'unavailable'; error: NotifyUnavailable } | { kind: 'rejected'; status: number; reason: string };

function classify(error: unknown, personalData: string[]): Failure {
  if (!isAxiosError(error)) throw error;
  const response = error.response;
  if (!response) {
    // No answer at all: a timeout, a refused or dropped connection. Notify may or may not have the message.
    return { kind: 'unavailable', error: new NotifyUnavailable(`Notify did not answer (${error.code ?? 'no response'})`) };
  }
  const status = response.status;
  const reason = scrub(describe(response.data as NotifyErrorBody | undefined, status), personalData);
  if (status === 429 || status >= 500) {
    const retryAfterSeconds = retryAfter(response.headers['retry-after']);
    return {
      kind: 'unavailable',
      error: new NotifyUnavailable(`Notify answered ${status}: ${reason}`, { status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) }),
    };
  }
  return { kind: 'rejected', status, reason };
}

function isAxiosError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;
}

function describe(body: NotifyErrorBody | undefined, status: number): string {
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  const text = errors.map((entry) => [entry.error, entry.message].filter(Boolean).join(': ')).join('; ');
  return text || `HTTP ${status}`;
}

function scrub(reason: string, personalData: string[]): string {
  let clean = reason;
  for (const value of personalData) {
    if (value.trim().length >= 3) clean = clean.split(value).join('[redacted]');
  }
  return clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH)}…` : clean;
}

function retryAfter(header: unknown): number | undefined {
  if (typeof header !== 'string' && typeof header !== 'number') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
