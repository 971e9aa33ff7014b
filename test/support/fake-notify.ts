// A fake GOV.UK Notify for tests and the bench: a real HTTP server on loopback that speaks the parts of Notify's v2 API
// that notifications-node-client uses, checks the client's JWT the way Notify does, enforces a per-key rate limit,
// and can be told to fail or stall. It records every notification it accepts, so a test can count what was "sent".
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeNotifyChannel = 'email' | 'sms';
export type FakeNotifyStatus = 'created' | 'sending' | 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure';
export type CallbackStatus = 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure';

export type SentNotification = {
  id: string;
  reference: string | null;
  channel: FakeNotifyChannel;
  recipient: string;
  templateId: string;
  personalisation: Record<string, string>;
  /** Date.now() when the request arrived. */
  receivedAt: number;
};

export type FakeNotify = {
  baseUrl: string;
  /** A key in Notify's format, `{name}-{service id}-{secret}`, that this server accepts. */
  apiKey: string;
  /** Every notification accepted (201), in order of arrival. */
  sent: SentNotification[];
  /** The next n send requests (POST) that pass authentication answer with this status and Notify's error body. */
  failNext(n: number, status: 500 | 429 | 400 | 403): void;
  /**
   * The next n send requests that pass authentication wait ms before answering. The notification is accepted and
   * recorded first, as a slow Notify would: a client that gives up has still sent it.
   */
  delayNext(n: number, ms: number): void;
  /** Posts Notify's delivery receipt for notifyId to callbackUrl with the bearer token; resolves the HTTP status. */
  sendCallback(notifyId: string, status: CallbackStatus, callbackUrl: string, bearerToken: string): Promise<number>;
  /** Send requests answered 429 because the key was over its rate (not counting failNext's 429s). */
  rejectedForRate: number;
  /** The most notifications accepted within any 60-second window so far. */
  maxInAnyMinute(): number;
  close(): Promise<void>;
};

type Stored = SentNotification & { status: FakeNotifyStatus; createdAt: string; completedAt: string | null };

const WINDOW_MS = 60_000;
const CLOCK_SKEW_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Notify's own check is stricter; this is enough to let a test send an "invalid number" and get Notify's 400.
const UK_MOBILE = /^(?:\+?44|0)7\d{9}$/;

class HttpProblem extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, message: string) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

const errorNames: Record<number, [string, string]> = {
  400: ['BadRequestError', "Can't send to this recipient using a team-only API key"],
  403: ['AuthError', 'Invalid token: API key not found'],
  429: ['RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'],
  500: ['Exception', 'Internal server error'],
};

export async function startFakeNotify(options: { ratePerMinute?: number } = {}): Promise<FakeNotify> {
  const ratePerMinute = options.ratePerMinute ?? 3000;
  const serviceId = randomUUID();
  const secret = randomUUID();
  const apiKey = `haven_test-${serviceId}-${secret}`;
  // Keys this server knows, by service id, as Notify looks them up from the token's issuer.
  const secrets = new Map<string, string>([[serviceId, secret]]);
  const recentByKey = new Map<string, number[]>();
  const failures: number[] = [];
  const delays: number[] = [];
  const byId = new Map<string, Stored>();
  const timers = new Set<NodeJS.Timeout>();

  const fake: FakeNotify = {
    baseUrl: '',
    apiKey,
    sent: [],
    rejectedForRate: 0,
    failNext(n, status) {
      for (let index = 0; index < n; index += 1) failures.push(status);
    },
    delayNext(n, ms) {
      for (let index = 0; index < n; index += 1) delays.push(ms);
    },
    async sendCallback(notifyId, status, callbackUrl, bearerToken) {
      const stored = byId.get(notifyId);
      if (!stored) throw new Error(`The fake Notify has no notification ${notifyId}.`);
      stored.status = status;
      stored.completedAt = new Date().toISOString();
      // The body Notify posts to a service's delivery-receipt callback.
      const response = await fetch(callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearerToken}` },
        body: JSON.stringify({
          id: stored.id,
          reference: stored.reference,
          to: stored.recipient,
          status,
          created_at: stored.createdAt,
          completed_at: stored.completedAt,
          sent_at: stored.createdAt,
          notification_type: stored.channel,
          template_id: stored.templateId,
          template_version: 1,
        }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    maxInAnyMinute() {
      const times = fake.sent.map((notification) => notification.receivedAt).sort((a, b) => a - b);
      let most = 0;
      let start = 0;
      for (let end = 0; end < times.length; end += 1) {
        while ((times[end] ?? 0) - (times[start] ?? 0) >= WINDOW_MS) start += 1;
        most = Math.max(most, end - start + 1);
      }
      return most;
    },
    close: () => Promise.resolve(),
  };

  /** Checks the bearer JWT as Notify does: HS256 signed with the key's secret, issuer the service, iat within 30 s. */
  function authenticate(request: IncomingMessage): string {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) throw new HttpProblem(401, 'AuthError', 'Unauthorized: authentication token must be provided');
    const [head, payload, signature] = header.slice('Bearer '.length).split('.');
    if (!head || !payload || !signature) throw new HttpProblem(403, 'AuthError', 'Invalid token: signature, api token is not valid');
    let claims: { iss?: unknown; iat?: unknown };
    let alg: unknown;
    try {
      alg = (JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: unknown }).alg;
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as typeof claims;
    } catch {
      throw new HttpProblem(403, 'AuthError', 'Invalid token: signature, api token is not valid');
    }
    if (alg !== 'HS256') throw new HttpProblem(403, 'AuthError', 'Invalid token: algorithm used is not HS256');
    const keySecret = typeof claims.iss === 'string' ? secrets.get(claims.iss) : undefined;
    if (!keySecret) throw new HttpProblem(403, 'AuthError', 'Invalid token: service not found');
    const expected = createHmac('sha256', keySecret).update(`${head}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpProblem(403, 'AuthError', 'Invalid token: API key not found');
    }
    if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > CLOCK_SKEW_SECONDS) {
      throw new HttpProblem(403, 'AuthError', 'Error: Your system clock must be accurate to within 30 seconds');
    }
    return claims.iss as string;
  }

  /** A rolling 60-second window per key of the send requests it let through. */
  function takeFromRate(key: string): void {
    const now = Date.now();
    const recent = (recentByKey.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
    recentByKey.set(key, recent);
    if (recent.length >= ratePerMinute) {
      fake.rejectedForRate += 1;
      throw new HttpProblem(429, 'RateLimitError', `Exceeded rate limit for key type LIVE of ${ratePerMinute} requests per 60 seconds`);
    }
    recent.push(now);
  }

  function accept(channel: FakeNotifyChannel, body: unknown): Stored {
    const problems: string[] = [];
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const recipientField = channel === 'email' ? 'email_address' : 'phone_number';
    const templateId = fields.template_id;
    const recipient = fields[recipientField];
    if (typeof templateId !== 'string' || !UUID.test(templateId)) problems.push('template_id is not a valid UUID');
    if (typeof recipient !== 'string' || recipient === '') problems.push(`${recipientField} is a required property`);
    else if (channel === 'email' && !EMAIL.test(recipient)) problems.push('email_address Not a valid email address');
    else if (channel === 'sms' && !UK_MOBILE.test(recipient.replace(/[\s()-]/g, ''))) problems.push('phone_number Not a UK mobile number');
    const personalisation = fields.personalisation ?? {};
    if (typeof personalisation !== 'object' || personalisation === null || Array.isArray(personalisation)) {
      problems.push('personalisation is not of type object');
    }
    if (fields.reference !== undefined && typeof fields.reference !== 'string') problems.push('reference is not of type string');
    if (problems.length > 0) throw new HttpProblem(400, 'ValidationError', problems.join(', '));
    const stored: Stored = {
      id: randomUUID(),
      reference: (fields.reference as string | undefined) ?? null,
      channel,
      recipient: recipient as string,
      templateId: templateId as string,
      personalisation: personalisation as Record<string, string>,
      receivedAt: Date.now(),
      status: 'created',
      createdAt: new Date().toISOString(),
      completedAt: null,
    };
    fake.sent.push({
      id: stored.id,
      reference: stored.reference,
      channel,
      recipient: stored.recipient,
      templateId: stored.templateId,
      personalisation: stored.personalisation,
      receivedAt: stored.receivedAt,
    });
    byId.set(stored.id, stored);
    return stored;
  }

  const render = (stored: Stored) =>
    Object.entries(stored.personalisation)
      .map(([key, value]) => `${key}: ${String(value)}`)
      .join('\n');

  const asNotification = (stored: Stored) => ({
    id: stored.id,
    reference: stored.reference,
    email_address: stored.channel === 'email' ? stored.recipient : null,
    phone_number: stored.channel === 'sms' ? stored.recipient : null,
    type: stored.channel,
    status: stored.status,
    template: { id: stored.templateId, version: 1, uri: `${fake.baseUrl}/v2/template/${stored.templateId}` },
    body: render(stored),
    subject: stored.channel === 'email' ? 'Haven update' : null,
    created_at: stored.createdAt,
    created_by_name: null,
    sent_at: stored.createdAt,
    completed_at: stored.completedAt,
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<{ status: number; body: unknown }> {
    const url = new URL(request.url ?? '/', 'http://fake-notify');
    const send = request.method === 'POST' ? /^\/v2\/notifications\/(email|sms)$/.exec(url.pathname) : null;
    const one = request.method === 'GET' ? /^\/v2\/notifications\/([^/]+)$/.exec(url.pathname) : null;
    if (!send && !one && !(request.method === 'GET' && url.pathname === '/v2/notifications')) {
      throw new HttpProblem(404, 'NotFound', 'The requested URL was not found on the server.');
    }
    const key = authenticate(request);
    if (send) {
      const text = await readBody(request);
      const failure = failures.shift();
      if (failure !== undefined) {
        const [error, message] = errorNames[failure] ?? ['Exception', 'Internal server error'];
        throw new HttpProblem(failure, error, message);
      }
      takeFromRate(key);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpProblem(400, 'BadRequestError', 'Invalid JSON supplied in POST data');
      }
      const stored = accept(send[1] as FakeNotifyChannel, body);
      const delay = delays.shift();
      if (delay !== undefined) await wait(delay, response);
      const content =
        stored.channel === 'email'
          ? { body: render(stored), subject: 'Haven update', from_email: 'haven@notifications.service.gov.uk' }
          : { body: render(stored), from_number: 'Haven' };
      return {
        status: 201,
        body: {
          id: stored.id,
          reference: stored.reference,
          content,
          uri: `${fake.baseUrl}/v2/notifications/${stored.id}`,
          template: { id: stored.templateId, version: 1, uri: `${fake.baseUrl}/v2/template/${stored.templateId}` },
        },
      };
    }
    if (one) {
      const stored = byId.get(decodeURIComponent(one[1] ?? ''));
      if (!stored) throw new HttpProblem(404, 'NoResultFound', 'No result found');
      return { status: 200, body: asNotification(stored) };
    }
    const reference = url.searchParams.get('reference');
    const type = url.searchParams.get('template_type');
    const statuses = url.searchParams.getAll('status');
    // Newest first, as Notify lists them.
    const found = [...byId.values()]
      .filter((stored) => reference === null || stored.reference === reference)
      .filter((stored) => type === null || stored.channel === type)
      .filter((stored) => statuses.length === 0 || statuses.includes(stored.status))
      .reverse()
      .slice(0, 250);
    return { status: 200, body: { notifications: found.map(asNotification), links: { current: `${fake.baseUrl}${url.pathname}${url.search}` } } };
  }

  function wait(ms: number, response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
      // A client that gave up closes its socket; stop waiting so close() is not held up.
      response.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      });
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).then(
      ({ status, body }) => reply(response, status, body),
      (error: unknown) => {
        if (error instanceof HttpProblem) {
          reply(response, error.status, { status_code: error.status, errors: [{ error: error.error, message: error.message }] });
        } else {
          reply(response, 500, { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] });
        }
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
