// The consent ledger's pure rules: the basis each victim needs, the end date, withdrawal, and whether sharing is allowed
// now, with the reason in words a coordinator can act on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConsent, checkWithdrawal, sharingAllowed, stateOf, type LedgerEntry, type SharingFacts } from './rules.ts';

const ORG = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER = '9b2f3a1e-1111-4c2d-8e3f-123456789abc';
const TODAY = '2026-11-22';
const NOW = new Date('2026-11-22T12:00:00Z');
const anyone: SharingFacts = { optInReason: null, sexualOffence: false };
const abuse: SharingFacts = { optInReason: 'victims of domestic abuse', sexualOffence: false };
const rape: SharingFacts = { optInReason: 'victims of sexual offences', sexualOffence: true };
const form = (overrides: Record<string, unknown> = {}) => ({ recipientOrganisationId: ORG, purpose: 'support_referral', legalBasis: 'public_task', givenHow: 'verbal', ...overrides });
const entry = (overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({ recipientOrganisationId: ORG, purpose: 'support_referral', legalBasis: 'consent', withdrawnAt: null, expiresAt: null, ...overrides });

describe('checkConsent', () => {
  it('accepts a public task basis for a victim who need not opt in, with no end date', () => {
    assert.deepEqual(checkConsent(form({ note: '  not my address ' }), anyone, new Set([ORG]), TODAY), {
      value: { recipientOrganisationId: ORG, purpose: 'support_referral', legalBasis: 'public_task', givenHow: 'verbal', expiresAt: null, note: 'not my address' },
    });
  });

  it('refuses public task and legal obligation for a victim who must opt in, and anything but explicit consent after a sexual offence', () => {
    for (const legalBasis of ['public_task', 'legal_obligation']) {
      assert.deepEqual(checkConsent(form({ legalBasis }), abuse, new Set([ORG]), TODAY), {
        errors: { legalBasis: 'The victim must opt in, as victims of domestic abuse are referred only with their agreement: record their consent' },
      });
    }
    assert.ok('value' in checkConsent(form({ legalBasis: 'consent' }), abuse, new Set([ORG]), TODAY));
    assert.ok('errors' in checkConsent(form({ legalBasis: 'consent' }), rape, new Set([ORG]), TODAY));
    assert.ok('value' in checkConsent(form({ legalBasis: 'explicit_consent' }), rape, new Set([ORG]), TODAY));
  });

  it('ends a consent at the end of the London day chosen, which must be after today', () => {
    const ends = checkConsent(form({ 'expiresOn-day': '31', 'expiresOn-month': '3', 'expiresOn-year': '2027' }), anyone, new Set([ORG]), TODAY);
    assert.equal('value' in ends && ends.value.expiresAt?.toISOString(), '2027-03-31T22:59:59.999Z', 'British Summer Time on 31 March 2027');
    assert.deepEqual(checkConsent(form({ 'expiresOn-day': '22', 'expiresOn-month': '11', 'expiresOn-year': '2026' }), anyone, new Set([ORG]), TODAY), {
      errors: { expiresOn: 'End date must be in the future' },
    });
    // Blank boxes mean no end date; a partial or impossible date is an error on the date, not a silent "no end date".
    const blank = checkConsent(form({ 'expiresOn-day': ' ', 'expiresOn-month': '', 'expiresOn-year': '' }), anyone, new Set([ORG]), TODAY);
    assert.equal('value' in blank && blank.value.expiresAt, null);
    assert.deepEqual(checkConsent(form({ 'expiresOn-day': '3', 'expiresOn-month': '', 'expiresOn-year': '' }), anyone, new Set([ORG]), TODAY), {
      errors: { expiresOn: 'End date must include a month and year' },
    });
    assert.deepEqual(checkConsent(form({ 'expiresOn-day': '31', 'expiresOn-month': '2', 'expiresOn-year': '2027' }), anyone, new Set([ORG]), TODAY), {
      errors: { expiresOn: 'End date must be a real date' },
    });
  });

  it('names every missing or unknown answer', () => {
    assert.deepEqual(checkConsent({ note: 'x'.repeat(501) }, anyone, new Set([ORG]), TODAY), {
      errors: {
        recipientOrganisationId: 'Select who the information will be shared with',
        purpose: 'Select what the information will be shared for',
        legalBasis: 'Select the legal basis for sharing',
        givenHow: 'Select how the victim agreed',
        note: 'The note must be 500 characters or fewer',
      },
    });
    assert.deepEqual(checkConsent(form({ recipientOrganisationId: OTHER }), anyone, new Set([ORG]), TODAY), { errors: { recipientOrganisationId: 'Select an organisation from the list' } });
  });
});

describe('withdrawal and state', () => {
  it('needs only how the victim withdrew', () => {
    assert.deepEqual(checkWithdrawal({ how: 'online', reason: ' ' }), { value: { how: 'online', reason: null } });
    assert.deepEqual(checkWithdrawal({}), { errors: { how: 'Select how the victim withdrew their consent' } });
  });

  it('is in force until withdrawn or past its end', () => {
    assert.equal(stateOf({ withdrawnAt: null, expiresAt: null }, NOW), 'in_force');
    assert.equal(stateOf({ withdrawnAt: null, expiresAt: new Date('2026-11-22T11:59:59Z') }, NOW), 'expired');
    assert.equal(stateOf({ withdrawnAt: new Date('2026-11-01T00:00:00Z'), expiresAt: null }, NOW), 'withdrawn');
  });
});

describe('sharingAllowed', () => {
  it('allows sharing only with the organisation and for the purpose agreed, while in force', () => {
    assert.deepEqual(sharingAllowed([entry()], ORG, 'support_referral', anyone, NOW), { allowed: true });
    for (const ledger of [[], [entry({ recipientOrganisationId: OTHER })], [entry({ purpose: 'progress_updates' })], [entry({ withdrawnAt: new Date('2026-11-21T00:00:00Z') })], [entry({ expiresAt: new Date('2026-11-21T00:00:00Z') })]]) {
      assert.deepEqual(sharingAllowed(ledger, ORG, 'support_referral', anyone, NOW), { allowed: false, reason: 'There is no consent in force to share with this organisation for this purpose' });
    }
  });

  it('does not let a public task entry stand in for the opt-in a victim must give, or consent for explicit consent', () => {
    assert.deepEqual(sharingAllowed([entry({ legalBasis: 'public_task' })], ORG, 'support_referral', abuse, NOW), {
      allowed: false,
      reason: 'The victim must opt in, as victims of domestic abuse are referred only with their agreement',
    });
    assert.deepEqual(sharingAllowed([entry({ legalBasis: 'consent' })], ORG, 'support_referral', rape, NOW), {
      allowed: false,
      reason: 'The victim’s explicit consent is needed to share information about a sexual offence',
    });
    assert.deepEqual(sharingAllowed([entry({ legalBasis: 'consent' }), entry({ legalBasis: 'explicit_consent' })], ORG, 'support_referral', rape, NOW), { allowed: true });
  });
});
