import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { main } from '../../bot/cli/main.js';

export function captureIo(input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = new PassThrough();
  stdin.end(input);
  return { io: { stdin, stdout, stderr, env: {} }, out: () => out, err: () => err };
}

describe('kefu CLI', () => {
  it('lists its commands on help', async () => {
    const c = captureIo();
    expect(await main(['help'], c.io)).to.equal(0);
    expect(c.out()).to.match(/Commands:/).and.match(/rules/).and.match(/classify/);
  });

  it('refuses an unknown command with exit 2 and names the known ones', async () => {
    const c = captureIo();
    expect(await main(['frobnicate'], c.io)).to.equal(2);
    expect(c.err()).to.contain("unknown command 'frobnicate'").and.contain('rules');
  });
});
