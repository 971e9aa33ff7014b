import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agencyAccessTo, type AgencyViewer } from './agency-rules.ts';

const AREA = 'area-1';
const crime = { policeOrganisationId: 'force-1', officerUserId: 'officer-1' };
const viewer = (overrides: Partial<AgencyViewer>): AgencyViewer => ({ userId: 'u', role: 'coordinator', organisationId: 'hub-1', organisationKind: 'hub', areaId: AREA, ...overrides });

test('the hub reads every case in its own area, and only coordinators and supervisors', () => {
  assert.equal(agencyAccessTo(viewer({}), { areaId: AREA, crime: null }), 'hub');
  assert.equal(agencyAccessTo(viewer({ role: 'supervisor' }), { areaId: AREA, crime }), 'hub');
  assert.equal(agencyAccessTo(viewer({ areaId: 'area-2' }), { areaId: AREA, crime }), undefined);
  assert.equal(agencyAccessTo(viewer({ role: 'administrator' }), { areaId: AREA, crime }), undefined);
});

test('police read the crimes of their own force, and the officer in charge reads theirs wherever they work', () => {
  const police = { role: 'police_officer' as const, organisationKind: 'police' as const };
  assert.equal(agencyAccessTo(viewer({ ...police, organisationId: 'force-1' }), { areaId: AREA, crime }), 'police');
  assert.equal(agencyAccessTo(viewer({ ...police, organisationId: 'force-2', userId: 'officer-1', areaId: 'area-2' }), { areaId: AREA, crime }), 'police');
  assert.equal(agencyAccessTo(viewer({ ...police, organisationId: 'force-2' }), { areaId: AREA, crime }), undefined);
  assert.equal(agencyAccessTo(viewer({ ...police, organisationId: 'force-1' }), { areaId: AREA, crime: null }), undefined, 'a self-referral with no crime is not the police’s');
  assert.equal(agencyAccessTo(viewer({ ...police, organisationId: 'force-1', role: 'administrator' }), { areaId: AREA, crime }), undefined);
});

test('witness care and probation read the crimes of their own area only', () => {
  assert.equal(agencyAccessTo(viewer({ role: 'witness_care_officer', organisationKind: 'witness_care' }), { areaId: AREA, crime }), 'witness_care');
  assert.equal(agencyAccessTo(viewer({ role: 'witness_care_officer', organisationKind: 'witness_care' }), { areaId: AREA, crime: null }), undefined);
  assert.equal(agencyAccessTo(viewer({ role: 'witness_care_officer', organisationKind: 'witness_care', areaId: 'area-2' }), { areaId: AREA, crime }), undefined);
  assert.equal(agencyAccessTo(viewer({ role: 'victim_liaison_officer', organisationKind: 'probation' }), { areaId: AREA, crime }), 'probation');
});

test('providers and the commissioner never read a case this way', () => {
  assert.equal(agencyAccessTo(viewer({ role: 'provider_caseworker', organisationKind: 'provider' }), { areaId: AREA, crime }), undefined);
  assert.equal(agencyAccessTo(viewer({ role: 'commissioner_analyst', organisationKind: 'commissioner' }), { areaId: AREA, crime }), undefined);
});
