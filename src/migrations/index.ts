// The ordered list of migrations. Append only: a migration that has landed is never edited.
import type { Migration } from 'kysely/migration';
import * as foundation from './0001-foundation.ts';
import * as apiClients from './0002-api-clients.ts';
import * as peopleAndCases from './0003-people-and-cases.ts';
import * as matching from './0004-matching.ts';
import * as selfReferral from './0005-self-referral.ts';
import * as imports from './0006-imports.ts';
import * as contactLog from './0007-contact-log.ts';
import * as auditSealing from './0008-audit-sealing.ts';
import * as bankHolidays from './0010-bank-holidays.ts';
import * as personSearch from './0011-person-search.ts';
import * as needsAssessment from './0012-needs-assessment.ts';
import * as entitlements from './0013-entitlements.ts';
import * as carePlan from './0014-care-plan.ts';
import * as codeClock from './0015-code-clock.ts';
import * as hearing from './0016-hearing.ts';
import * as directory from './0017-directory.ts';
import * as consent from './0018-consent.ts';
import * as supportReferral from './0019-support-referral.ts';
import * as caseUpdates from './0020-case-updates.ts';
import * as notifications from './0021-notifications.ts';
import * as specialMeasures from './0022-special-measures.ts';
import * as caseMessages from './0023-case-messages.ts';
import * as victimPortal from './0024-victim-portal.ts';
import * as portalFollowUp from './0025-portal-follow-up.ts';
import * as insights from './0026-insights.ts';
import * as insightsUpkeep from './0027-insights-upkeep.ts';

export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-api-clients': apiClients,
  '0003-people-and-cases': peopleAndCases,
  '0004-matching': matching,
  '0005-self-referral': selfReferral,
  '0006-imports': imports,
  '0007-contact-log': contactLog,
  '0008-audit-sealing': auditSealing,
  '0010-bank-holidays': bankHolidays,
  '0011-person-search': personSearch,
  '0012-needs-assessment': needsAssessment,
  '0013-entitlements': entitlements,
  '0014-care-plan': carePlan,
  '0015-code-clock': codeClock,
  '0016-hearing': hearing,
  '0017-directory': directory,
  '0018-consent': consent,
  '0019-support-referral': supportReferral,
  '0020-case-updates': caseUpdates,
  '0021-notifications': notifications,
  '0022-special-measures': specialMeasures,
  '0023-case-messages': caseMessages,
  '0024-victim-portal': victimPortal,
  '0025-portal-follow-up': portalFollowUp,
  '0026-insights': insights,
  '0027-insights-upkeep': insightsUpkeep,
};
