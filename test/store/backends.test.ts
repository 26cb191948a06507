/**
 * One contract suite, run against both backends: the embedded SQLite default and Redis +
 * PostgreSQL. Each test gets its own file, key prefix and schema, removed afterwards.
 */
import { BACKENDS, type Fixture } from './backends.js';
import { caseStoreContract } from './caseStoreContract.js';
import { evidenceStoreContract } from './evidenceStoreContract.js';
import { resumeContract } from './resumeContract.js';
import { storageContract } from './storageContract.js';

for (const backend of BACKENDS) {
  describe(`storage on ${backend.name}`, () => {
    let fixture: Fixture | undefined;
    beforeEach(async () => {
      fixture = await backend.open();
    });
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });
    const current = () => fixture!;
    describe('botbuilder Storage', () => storageContract(current));
    describe('CaseStore', () => caseStoreContract(current));
    describe('EvidenceStore', () => evidenceStoreContract(current));
    describe('a conversation across a restart', () => resumeContract(current));
  });
}
