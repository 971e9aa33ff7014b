// Builds the Fastify application from its parts. No business logic lives here: platform plugins first, then features.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { createJobQueue, type JobQueue } from './platform/jobs/job-queue.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerOperations } from './platform/http/operations.ts';
import { registerErrorPages } from './platform/http/error-pages.ts';
import { registerRequestContext } from './platform/http/request-context.ts';
import { registerSecurity } from './platform/http/security.ts';
import { registerStaticAssets } from './platform/http/static-assets.ts';
import { loggerOptions } from './platform/http/logging.ts';
import { registerViews } from './platform/views/views.ts';
import { registerStaffSessions } from './platform/auth/sessions.ts';
import { startAuditSealer, type AuditSealer } from './platform/audit/sealer.ts';
import { registerSitePages } from './features/site/routes.ts';
import { registerAdminPages } from './features/admin/routes.ts';
import { registerDirectoryPages } from './features/directory/routes.ts';
import { registerCasePages } from './features/cases/routes.ts';
import { registerCarePlanPages } from './features/care-plan/routes.ts';
import { registerConsentPages } from './features/consent/routes.ts';
import { registerSupportOptionPages } from './features/service-matching/routes.ts';
import { registerSupportReferralPages } from './features/support-referrals/routes.ts';
import { registerProviderReferralPages } from './features/support-referrals/provider-routes.ts';
import { registerPreCourtPages } from './features/pre-court/routes.ts';
import { registerSpecialMeasuresPages } from './features/special-measures/routes.ts';
import { registerCodeClockPages } from './features/obligations/routes.ts';
import { registerEntitlementPages } from './features/entitlements/routes.ts';
import { registerAssessmentPages } from './features/assessment/routes.ts';
import { registerMatchingPages } from './features/matching/routes.ts';
import { registerCaseMessagePages } from './features/case-messages/routes.ts';
import { registerPoliceViewPages } from './features/police-view/routes.ts';
import { registerStaleCaseNudge } from './features/police-view/worker.ts';
import { registerAccountPages } from './features/account/routes.ts';
import { registerHomePage } from './features/home/routes.ts';
import { registerSelfReferralPages } from './features/self-referral/routes.ts';
import { registerPortalSessions } from './platform/auth/portal-sessions.ts';
import { registerPortalSignInPages } from './features/portal-sign-in/routes.ts';
import { registerPortalAccessPages } from './features/portal-access/routes.ts';
import { registerPortalCasePages } from './features/portal/routes.ts';
import { registerPortalMessagePages } from './features/portal-messages/routes.ts';
import { registerPortalPreferencePages } from './features/portal-preferences/routes.ts';
import { registerPortalDataPages } from './features/portal-data/routes.ts';
import { registerFeedbackPages } from './features/feedback/routes.ts';
import { registerEqualityPages } from './features/equality/routes.ts';
import { registerInsightPages } from './features/insights/routes.ts';
import { registerFundingPages } from './features/funding/routes.ts';
import { registerComplianceReportPages } from './features/compliance-report/routes.ts';
import { registerInsightUpkeep } from './features/insights-upkeep/worker.ts';
import { createApiClientGuard } from './platform/auth/api-clients.ts';
import { registerApiRegistry } from './platform/http/openapi.ts';
import { registerApiDocs } from './platform/http/api-docs.ts';
import { registerApiClientApi } from './features/api-clients/api.ts';
import { registerImportWorker } from './features/imports/worker.ts';
import { registerCodeClock } from './features/obligations/worker.ts';
import { registerNotifications } from './features/notifications/worker.ts';
import { registerImportPages } from './features/imports/routes.ts';
import { registerImportApi } from './features/imports/api.ts';
import { registerReferralPages } from './features/referrals/routes.ts';
import { registerReferralApi } from './features/referrals/api.ts';
import { registerCaseUpdateApi } from './features/case-updates/api.ts';
import { registerCaseUpdatePages } from './features/case-updates/routes.ts';

export type AppDeps = {
  config: Config;
  database: Database;
  /**
   * The job queue. main.ts passes one made for its mode (web-only, worker-only or both); when it is left out, as in
   * tests, buildApp makes one that runs workers. The app starts it when it is ready and stops it when it closes.
   */
  jobs?: JobQueue;
};

/** Requests larger than this are refused with 413: no Haven form comes near it. */
export const BODY_LIMIT_BYTES = 256 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.env === 'production',
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Features take `jobs` from here: it is never undefined.
  const jobs = deps.jobs ?? createJobQueue({ database: deps.database, runWorkers: true });
  app.addHook('onReady', () => jobs.start(app.log));
  // onClose runs after in-flight requests have finished, so none of them is left enqueuing on a stopped queue.
  app.addHook('onClose', () => jobs.stop());
  // Links committed audit rows into the hash chain about once a second; closing seals what is left.
  let sealer: AuditSealer | undefined;
  app.addHook('onReady', () => {
    sealer = startAuditSealer(deps.database.db, { onError: (error) => app.log.error({ err: error }, 'audit sealing failed; retrying') });
  });
  app.addHook('onClose', () => sealer?.stop());
  // Before every route and the error pages, so each answer is counted.
  const metrics = registerMetrics(app, { jobs, processMetrics: config.env !== 'test' });

  registerErrorPages(app);
  await registerSecurity(app, { sessionSecret: config.sessionSecret, secureCookies: config.secureCookies });
  registerRequestContext(app, { secureCookies: config.secureCookies });
  registerStaffSessions(app, { db: deps.database.db, secureCookies: config.secureCookies });
  registerPortalSessions(app, { db: deps.database.db, secureCookies: config.secureCookies });
  await registerViews(app, { production: config.env === 'production' });
  await registerStaticAssets(app);

  registerOperations(app, { database: deps.database, jobs, metrics });
  registerSitePages(app);
  // The order here is the order of the service navigation.
  registerHomePage(app, { db: deps.database.db });
  registerAccountPages(app, { db: deps.database.db, secureCookies: config.secureCookies });
  registerAdminPages(app, { db: deps.database.db });
  registerDirectoryPages(app, { db: deps.database.db });
  registerCasePages(app, { db: deps.database.db });
  registerCarePlanPages(app, { db: deps.database.db });
  registerConsentPages(app, { db: deps.database.db });
  registerSupportOptionPages(app, { db: deps.database.db });
  registerSupportReferralPages(app, { db: deps.database.db });
  registerProviderReferralPages(app, { db: deps.database.db });
  registerPreCourtPages(app, { db: deps.database.db });
  registerCaseUpdatePages(app, { db: deps.database.db });
  registerSpecialMeasuresPages(app, { db: deps.database.db });
  registerCodeClockPages(app, { db: deps.database.db });
  registerEntitlementPages(app, { db: deps.database.db });
  registerAssessmentPages(app, { db: deps.database.db });
  registerMatchingPages(app, { db: deps.database.db });
  registerCaseMessagePages(app, { db: deps.database.db });
  registerPoliceViewPages(app, { db: deps.database.db });
  registerEqualityPages(app, { db: deps.database.db });
  // The commissioner's insights, under /insights: aggregates only.
  registerInsightPages(app, { db: deps.database.db });
  registerFundingPages(app, { db: deps.database.db });
  registerComplianceReportPages(app, { db: deps.database.db });
  await registerInsightUpkeep(app, jobs, deps.database.db);
  await registerCodeClock(app, jobs, deps.database.db);
  await registerNotifications(app, jobs, deps.database.db, config);
  await registerStaleCaseNudge(app, jobs, deps.database.db);
  const enqueueImport = await registerImportWorker(jobs, deps.database.db);
  await registerImportPages(app, { db: deps.database.db, enqueue: enqueueImport });
  registerReferralPages(app, { db: deps.database.db });
  registerSelfReferralPages(app, { db: deps.database.db, secureCookies: config.secureCookies, addressKey: config.sessionSecret });
  // The victim's portal, under /my-case.
  registerPortalSignInPages(app, { db: deps.database.db, config });
  registerPortalAccessPages(app, { db: deps.database.db, config });
  registerPortalCasePages(app, { db: deps.database.db });
  registerPortalMessagePages(app, { db: deps.database.db });
  registerPortalPreferencePages(app, { db: deps.database.db });
  registerPortalDataPages(app, { db: deps.database.db });
  registerFeedbackPages(app, { db: deps.database.db });

  // The machine API: features define operations on the registry, which publishes them at /api/openapi.json and /api/docs.
  registerApiRegistry(app, { requireApiClient: createApiClientGuard(deps.database.db) });
  registerApiDocs(app);
  registerApiClientApi(app);
  await registerImportApi(app, { db: deps.database.db, enqueue: enqueueImport });
  registerReferralApi(app, { db: deps.database.db });
  registerCaseUpdateApi(app, { db: deps.database.db });

  return app;
}
