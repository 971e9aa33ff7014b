// Unit tests of the plain-words audit trail: each audit action as a sentence in English and Welsh, who acted by
// organisation and role (never a name), neutral words for what is unknown, days in Europe/London, and the page number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STAFF_ROLES } from '../../platform/db/schema.ts';
import { portalDataMessages } from './messages.ts';
import { actionSentenceKey, describeTrailRow, groupByDay, pageNumber, whoOf, type TrailRow } from './rules.ts';

const row = (overrides: Partial<TrailRow> = {}): TrailRow => ({
  id: 1,
  at: new Date('2026-03-02T10:15:00Z'),
  actorLabel: 'staff:police_officer',
  organisationName: 'West Yorkshire Police',
  action: 'case.viewed',
  ...overrides,
});

describe('the audit trail in plain words', () => {
  it('says who looked at the case by organisation and role, in English and in Welsh', () => {
    assert.equal(describeTrailRow(row(), 'en'), 'Someone at West Yorkshire Police (police officer) looked at your case');
    assert.equal(describeTrailRow(row(), 'cy'), 'Edrychodd rhywun yn West Yorkshire Police (swyddog heddlu) ar eich achos');
  });

  it('says what changed in words for a victim', () => {
    const contact = row({ actorLabel: 'staff:coordinator', organisationName: 'Haven Victim Gateway', action: 'person.safe_contact_changed' });
    assert.equal(describeTrailRow(contact, 'en'), 'Someone at Haven Victim Gateway (victim care coordinator) changed your contact preferences');
    assert.equal(describeTrailRow(contact, 'cy'), 'Newidiodd rhywun yn Haven Victim Gateway (cydlynydd gofal dioddefwyr) eich dewisiadau cyswllt');
    const provider = row({ actorLabel: 'staff:provider_caseworker', organisationName: 'Safe Homes', action: 'support_referral.viewed' });
    assert.equal(describeTrailRow(provider, 'en'), 'Someone at Safe Homes (support worker) looked at your referral for support');
  });

  it('names the automatic reminders, partner systems, the public website and other portal accounts, never a person', () => {
    const system = row({ actorLabel: 'system:code-clock', organisationName: null, action: 'obligation.overdue' });
    assert.equal(describeTrailRow(system, 'en'), 'Haven’s automatic reminders noted that a deadline for telling you something was missed');
    assert.equal(describeTrailRow(system, 'cy'), 'Nododd nodiadau atgoffa awtomatig Haven fod terfyn amser ar gyfer dweud rhywbeth wrthych wedi’i fethu');
    assert.equal(describeTrailRow(row({ actorLabel: 'api:force-records', organisationName: 'Gwent Police', action: 'referral.received' }), 'en'), 'A computer system at Gwent Police opened your case');
    assert.equal(describeTrailRow(row({ actorLabel: 'public', organisationName: null, action: 'self_referral.received' }), 'en'), 'Someone using Haven’s public website opened your case');
    assert.equal(describeTrailRow(row({ actorLabel: 'portal:5b1c0000-0000-4000-8000-000000000000', organisationName: null, action: 'portal.data_exported' }), 'en'), 'Someone signed in to the victim’s portal downloaded your data');
    assert.deepEqual(whoOf({ actorLabel: 'staff:not_a_role', organisationName: null }), { kind: 'staff', role: null, organisationName: null });
    assert.equal(describeTrailRow(row({ actorLabel: 'staff:not_a_role', organisationName: null }), 'en'), 'Someone at Haven (staff member) looked at your case');
    assert.equal(describeTrailRow(row({ actorLabel: 'robot', organisationName: null }), 'cy'), 'Edrychodd rhywun ar eich achos');
  });

  it('gives an unknown read "looked at your record" and anything else unknown a neutral sentence', () => {
    assert.equal(actionSentenceKey('some_feature.viewed'), 'portalData.did.lookedAtRecord');
    assert.equal(actionSentenceKey('portal.case_viewed'), 'portalData.did.lookedAtRecord');
    assert.equal(actionSentenceKey('care_plan.action_done'), 'portalData.did.changedPlan');
    assert.equal(actionSentenceKey('something.new_happened'), 'portalData.did.neutral');
    assert.equal(describeTrailRow(row({ action: 'something.new_happened' }), 'en'), 'Someone at West Yorkshire Police (police officer) looked at or changed your record');
    assert.equal(describeTrailRow(row({ action: 'something.new_happened' }), 'cy'), 'Gwnaeth rhywun yn West Yorkshire Police (swyddog heddlu) edrych ar eich cofnod neu ei newid');
  });

  it('has every sentence and role in both languages, each with a place for who', () => {
    const { en, cy } = portalDataMessages;
    assert.deepEqual(Object.keys(cy).sort(), Object.keys(en).sort());
    for (const key of Object.keys(en).filter((name) => name.startsWith('portalData.did.'))) {
      assert.match(en[key] ?? '', /\{who\}/, key);
      assert.match(cy[key] ?? '', /\{who\}/, key);
    }
    for (const role of STAFF_ROLES) assert.ok(en[`portalData.role.${role}`] && cy[`portalData.role.${role}`], role);
    for (const action of ['case.viewed', 'consent.withdrawn', 'hearing.recorded', 'x.y']) assert.ok(en[actionSentenceKey(action)], action);
  });

  it('groups by the day in London, newest first, with the time of each', () => {
    const days = groupByDay(
      [
        row({ id: 3, at: new Date('2026-07-01T23:30:00Z') }), // 00:30 on 2 July in London (BST)
        row({ id: 2, at: new Date('2026-07-01T08:00:00Z') }),
        row({ id: 1, at: new Date('2026-06-30T08:00:00Z') }),
      ],
      'en',
    );
    assert.deepEqual(days.map((day) => [day.day, day.entries.map((entry) => entry.time)]), [
      ['Thursday 2 July 2026', ['00:30']],
      ['Wednesday 1 July 2026', ['09:00']],
      ['Tuesday 30 June 2026', ['09:00']],
    ]);
    assert.match(groupByDay([row()], 'cy')[0]?.day ?? '', /Mawrth/);
  });

  it('reads the page number, defaulting to 1', () => {
    assert.equal(pageNumber('3'), 3);
    for (const bad of [undefined, '', '0', '-2', 'two', '1.5', '9999999', ['2']]) assert.equal(pageNumber(bad), 1);
    assert.equal(pageNumber('999999'), 10_000);
  });
});
