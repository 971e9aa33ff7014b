// The support options page of a case: the directory's services ranked for it, grouped by tier, each with a link to
// refer; then the services it is not eligible for, with why not. Thin: the service authorises, gathers and audits.
import type { FastifyInstance } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import type { DirectoryService } from '../directory/rules.ts';
import { ACCESS_NEED_NAMES, type AssessedNeed, type CaseFacts, type Exclusion, type Match, type Tier } from './rules.ts';
import { getSupportOptions } from './service.ts';

type WithCase = { Params: { id: string } };

// Any signed-in staff member may ask: the cases service answers everyone but the area's hub coordinators and
// supervisors with NotFound, so a provider caseworker or a police officer cannot learn the case exists.
const signedIn = requireStaff();

const TIERS: { tier: Tier; heading: string; hint: string }[] = [
  { tier: 'specialist', heading: 'Specialist support', hint: 'The crime or the victim’s age calls for these first.' },
  { tier: 'need', heading: 'Support for needs the assessment found', hint: 'These answer a need recorded in the needs assessment.' },
  { tier: 'general', heading: 'General support', hint: 'These can take the case, but answer no particular need found.' },
];

const NEED_NAMES: Record<AssessedNeed, string> = { practical: 'Practical help', emotional: 'Emotional support', mental_health: 'Mental health support' };

const placesText = (capacity: number) => (capacity <= 0 ? 'None open (full)' : `${capacity} open`);
const waitText = (days: number) => (days <= 0 ? 'No wait' : `${days} ${days === 1 ? 'day' : 'days'}`);
const referHref = (caseId: string, service: DirectoryService) => `/cases/${caseId}/referrals/new?service=${encodeURIComponent(service.id)}`;

const matchView = (caseId: string) => (match: Match<DirectoryService>) => ({
  id: match.service.id,
  tier: match.tier,
  name: match.service.name,
  organisationName: match.service.organisationName,
  reasons: match.reasons,
  cautions: match.cautions,
  full: match.full,
  places: placesText(match.service.capacity),
  wait: waitText(match.service.waitDays),
  referHref: referHref(caseId, match.service),
});

const exclusionView = (caseId: string) => (exclusion: Exclusion<DirectoryService>) => ({
  id: exclusion.service.id,
  name: exclusion.service.name,
  organisationName: exclusion.service.organisationName,
  reasons: exclusion.reasons,
  referHref: referHref(caseId, exclusion.service),
});

/** What the ranking was made on, in words, so a coordinator can see why and put a wrong fact right. */
function factRows(facts: CaseFacts, assessed: boolean) {
  const age = facts.age === null ? 'Not known' : `${facts.age}${facts.age < 18 ? ' (under 18)' : ''}`;
  const abuse = facts.domesticAbuse ? (facts.highRiskDomesticAbuse ? 'Yes, high risk (DASH)' : 'Yes') : 'No';
  const needs = assessed ? (facts.needs.length ? facts.needs.map((need) => NEED_NAMES[need]).join(', ') : 'None found') : 'No needs assessment yet';
  const access = facts.accessNeeds.length ? facts.accessNeeds.map((need) => ACCESS_NEED_NAMES[need] ?? need).join(', ') : 'None recorded';
  return [
    { key: { text: 'Age' }, value: { text: age } },
    { key: { text: 'Crime' }, value: { text: facts.offenceGroup ?? 'Not known or not yet classified' } },
    { key: { text: 'Domestic abuse' }, value: { text: abuse } },
    { key: { text: 'Enhanced rights' }, value: { text: facts.enhanced ? 'Yes' : 'No' } },
    { key: { text: 'Needs' }, value: { text: needs } },
    { key: { text: 'Language' }, value: { text: facts.languageName ?? facts.language ?? 'English' } },
    { key: { text: 'Access needs' }, value: { text: access } },
  ];
}

export function registerSupportOptionPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase>('/cases/:id/support-options', { preHandler: signedIn }, async (request, reply) => {
    const page = await getSupportOptions(db, staffActor(request), request.params.id);
    const matches = page.matches.map(matchView(page.caseId));
    // The page shows personal data: no browser or proxy may keep it.
    reply.header('cache-control', 'no-store');
    return reply.view('service-matching/views/support-options.njk', {
      title: `Support options: case ${page.reference}`,
      caseId: page.caseId,
      reference: page.reference,
      personName: page.personName,
      assessed: page.assessed,
      factRows: factRows(page.facts, page.assessed),
      matchCount: matches.length,
      tiers: TIERS.map((tier) => ({ ...tier, matches: matches.filter((match) => match.tier === tier.tier) })).filter((tier) => tier.matches.length),
      excluded: page.excluded.map(exclusionView(page.caseId)),
    });
  });
}
