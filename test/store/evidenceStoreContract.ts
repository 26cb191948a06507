/** The EvidenceStore contract: content-addressed files kept with the case. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Fixture } from './backends.js';

export function evidenceStoreContract(fixture: () => Fixture): void {
  const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('a crushed carton'), 0x00, 0xff, 0xd9]);
  const sha = createHash('sha256').update(photo).digest('hex');

  it('keeps a file under its SHA-256 and gives back the same bytes and type on another instance', async () => {
    const { a, b } = fixture();
    const stored = await a.evidence.put(photo, 'image/jpeg');
    expect(stored).to.deep.equal({ key: sha, sha256: sha, bytes: photo.length });
    const got = await b.evidence.get(stored.key);
    expect(got?.contentType).to.equal('image/jpeg');
    expect(got?.data.equals(photo)).to.equal(true);
  });

  it('stores the same content once', async () => {
    const { evidence } = fixture().a;
    const first = await evidence.put(photo, 'image/jpeg');
    const second = await evidence.put(Buffer.from(photo), 'image/jpeg');
    expect(second.key).to.equal(first.key);
  });

  it('returns nothing for unknown or malformed keys, and after delete', async () => {
    const { evidence } = fixture().a;
    const stored = await evidence.put(photo, 'image/jpeg');
    expect(await evidence.get('0'.repeat(64))).to.equal(undefined);
    expect(await evidence.get('../../../etc/passwd')).to.equal(undefined);
    await evidence.delete(stored.key);
    expect(await evidence.get(stored.key)).to.equal(undefined);
  });
}
