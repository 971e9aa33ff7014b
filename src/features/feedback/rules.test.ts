// The feedback and complaint rules: which moments a case has reached and which still want a rating, the form checks,
// the staff's count table, the organisations a complaint may name, and the answer's check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAnswer, checkComplaint, checkSubmissionKey, complaintOrganisations, complaintReference, COMPLAINT_WORKING_DAYS, WITNESS_CARE_KINDS, type ComplaintOrganisation } from './complaint-rules.ts';
import { checkFeedback, isMoment, momentsReached, pendingMoments, summaryRows, type MomentFacts } from './rules.ts';
import { feedbackMessages } from './messages.ts';

const nothing: MomentFacts = { caseStatus: 'new', successfulContact: false, referralClosed: false, courtOutcome: false };

describe('feedback moments', () => {
  it('reaches first contact by a successful contact or a case moved on to contacted or active, and not when closed unseen', () => {
    assert.deepEqual(momentsReached(nothing), []);
    assert.deepEqual(momentsReached({ ...nothing, successfulContact: true }), ['first_contact']);
    assert.deepEqual(momentsReached({ ...nothing, caseStatus: 'contacted' }), ['first_contact']);
    assert.deepEqual(momentsReached({ ...nothing, caseStatus: 'active' }), ['first_contact']);
    assert.deepEqual(momentsReached({ ...nothing, caseStatus: 'closed' }), []);
    assert.deepEqual(momentsReached({ ...nothing, caseStatus: 'closed', successfulContact: true }), ['first_contact']);
  });

  it('reaches the referral and court moments independently, and keeps the order of a case', () => {
    assert.deepEqual(momentsReached({ ...nothing, courtOutcome: true, referralClosed: true }), ['referral_closed', 'court_outcome']);
    assert.deepEqual(pendingMoments(['court_outcome', 'first_contact', 'referral_closed'], ['referral_closed']), ['first_contact', 'court_outcome']);
    assert.deepEqual(pendingMoments(['first_contact'], ['first_contact']), []);
    assert.deepEqual(pendingMoments([], ['first_contact']), [], 'a rating never makes a moment pending');
  });

  it('knows its moments and nothing else', () => {
    assert.equal(isMoment('court_outcome'), true);
    for (const value of ['Court_outcome', 'outcome', '', undefined, 3]) assert.equal(isMoment(value), false);
  });
});

describe('the feedback form', () => {
  it('takes a rating of 1 to 5 and an optional comment, trimmed', () => {
    assert.deepEqual(checkFeedback({ rating: '5' }), { rating: 5, comment: null });
    assert.deepEqual(checkFeedback({ rating: ' 1 ', comment: '  Slow to call back\r\nbut kind  ' }), { rating: 1, comment: 'Slow to call back\nbut kind' });
    assert.deepEqual(checkFeedback({ rating: '3', comment: '   ' }), { rating: 3, comment: null });
    assert.deepEqual(checkFeedback({ rating: '2', comment: 'x'.repeat(1000) }), { rating: 2, comment: 'x'.repeat(1000) });
  });

  it('refuses a missing or odd rating and a comment over 1,000 characters, with catalogue keys', () => {
    for (const rating of [undefined, '', '0', '6', '4.5', 'five', ['4']]) assert.deepEqual(checkFeedback({ rating }), { errors: { rating: 'feedback.error.rating' } });
    assert.deepEqual(checkFeedback({ rating: '4', comment: 'x'.repeat(1001) }), { errors: { comment: 'feedback.error.commentTooLong' } });
    const errors = checkFeedback({ comment: 'x'.repeat(1001) });
    assert.ok('errors' in errors);
    for (const key of Object.values(errors.errors)) assert.ok(key in feedbackMessages.en && key in feedbackMessages.cy, key);
  });

  it('counts each moment by answer, best first, with a total, and zero where nobody answered', () => {
    const rows = summaryRows([
      { moment: 'first_contact', rating: 5, count: 3 },
      { moment: 'first_contact', rating: 1, count: 2 },
      { moment: 'court_outcome', rating: 3, count: 1 },
    ]);
    assert.deepEqual(rows, [
      { moment: 'first_contact', counts: [3, 0, 0, 0, 2], total: 5 },
      { moment: 'referral_closed', counts: [0, 0, 0, 0, 0], total: 0 },
      { moment: 'court_outcome', counts: [0, 0, 1, 0, 0], total: 1 },
    ]);
  });
});

describe('complaints', () => {
  const police: ComplaintOrganisation = { id: '00000000-0000-4000-8000-000000000001', name: 'Wyvern Police', part: 'police' };
  const hub: ComplaintOrganisation = { id: '00000000-0000-4000-8000-000000000002', name: 'Wyvern Victim Hub', part: 'hub' };
  const providerB: ComplaintOrganisation = { id: '00000000-0000-4000-8000-000000000003', name: 'B Support', part: 'provider' };
  const providerA: ComplaintOrganisation = { id: '00000000-0000-4000-8000-000000000004', name: 'A Support', part: 'provider' };
  const witnessCare: ComplaintOrganisation = { id: '00000000-0000-4000-8000-000000000005', name: 'Witness Care', part: 'witness_care' };

  it('lists each organisation once, police, hub, providers by name, then witness care', () => {
    assert.deepEqual(complaintOrganisations([witnessCare, providerB, hub, providerA, police, providerB]), [police, hub, providerA, providerB, witnessCare]);
    assert.deepEqual(complaintOrganisations([{ ...hub, part: 'provider' }, hub]), [hub], 'an organisation in two parts keeps the first');
    assert.deepEqual(complaintOrganisations([]), []);
  });

  it('takes only an organisation on the case and a complaint of 1 to 5,000 characters', () => {
    const on = [police, hub];
    assert.deepEqual(checkComplaint({ organisationId: hub.id, body: '  Nobody called me back.\r\n ' }, on), { organisationId: hub.id, body: 'Nobody called me back.' });
    assert.deepEqual(checkComplaint({ organisationId: providerA.id, body: 'Something' }, on), { errors: { organisationId: 'feedback.complaint.error.organisation' } });
    assert.deepEqual(checkComplaint({ body: '   ' }, on), { errors: { organisationId: 'feedback.complaint.error.organisation', body: 'feedback.complaint.error.bodyRequired' } });
    assert.deepEqual(checkComplaint({ organisationId: police.id, body: 'x'.repeat(5001) }, on), { errors: { body: 'feedback.complaint.error.bodyTooLong' } });
    assert.ok(!('errors' in checkComplaint({ organisationId: police.id, body: 'x'.repeat(5000) }, on)));
  });

  it('takes a uuid as the form’s one-time key, gives a short reference, and gives the organisation the Code’s 10 working days', () => {
    assert.deepEqual(checkSubmissionKey('8F14E45F-CEEA-467A-A866-051F5A0B1B11'), { value: '8f14e45f-ceea-467a-a866-051f5a0b1b11' });
    assert.ok('errors' in checkSubmissionKey('again'));
    assert.equal(complaintReference('8f14e45f-ceea-467a-a866-051f5a0b1b11'), '8F14E45F');
    assert.equal(COMPLAINT_WORKING_DAYS, 10);
  });

  it('counts witness care in from the charge and its own updates, not from the police’s', () => {
    for (const kind of ['suspect_charged', 'hearing_listed', 'verdict', 'sentence']) assert.ok(WITNESS_CARE_KINDS.includes(kind), kind);
    for (const kind of ['suspect_arrested', 'officer_assigned', 'charge_dropped']) assert.ok(!WITNESS_CARE_KINDS.includes(kind), kind);
  });

  it('needs an answer summary of 10 to 5,000 characters', () => {
    assert.deepEqual(checkAnswer({ answerSummary: '  We apologised and called her back.  ' }), { answerSummary: 'We apologised and called her back.' });
    assert.ok('errors' in checkAnswer({ answerSummary: 'Sorry' }));
    assert.ok('errors' in checkAnswer({}));
    assert.ok('errors' in checkAnswer({ answerSummary: 'x'.repeat(5001) }));
  });
});

describe('feedback text', () => {
  it('has every key in English and Welsh, under the feature’s prefix', () => {
    assert.deepEqual(Object.keys(feedbackMessages.cy).sort(), Object.keys(feedbackMessages.en).sort());
    for (const key of Object.keys(feedbackMessages.en)) assert.ok(key.startsWith('feedback.'), key);
    for (const [key, text] of Object.entries(feedbackMessages.cy)) assert.ok(text.trim(), key);
  });
});
