import { startCluster } from './cluster.js';
describe('probe', function () {
  this.timeout(120000);
  it('starts', async () => {
    const t = Date.now();
    const c = await startCluster(2);
    console.log('started in', Date.now() - t);
    const r = await c.say(0, 'conv-p', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    console.log(JSON.stringify(r).slice(0, 300));
    const r2 = await c.say(1, 'conv-p', 'u-lihua', { text: '284716350192837465' });
    console.log(JSON.stringify(r2).slice(0, 300));
    console.log(c.instances.map(i => i.output.join('')).join('\n---\n').slice(0, 2000));
    await c.close();
  });
});
