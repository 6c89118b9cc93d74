import { spawn } from 'node:child_process';
import test from 'ava';
import { groupHasLiveProcess, procStat } from '../../launcher/process-group.js';
import { until } from '../helpers/processes.js';

test('groupHasLiveProcess() - a running group counts; once it is killed, it does not', async (t) => {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  t.true(groupHasLiveProcess(child.pid!));
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  t.false(groupHasLiveProcess(child.pid!));
});

test('groupHasLiveProcess() - a group left with only a zombie (its parent, elsewhere, has not reaped it) has nothing running', async (t) => {
  t.timeout(20_000);
  // A parent that forks a child into a group of its own, lets it die and never reaps it.
  const script = 'import os,time\npid=os.fork()\nif pid==0:\n    os.setpgid(0,0)\n    os._exit(0)\nprint(pid,flush=True)\ntime.sleep(30)';
  const parent = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void parent.kill('SIGKILL'));
  const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  await until(() => procStat(zombie)?.state === 'Z', 5_000, 'the child to be a zombie');
  t.notThrows(() => process.kill(-zombie, 0), 'signal 0 still reaches the group');
  t.false(groupHasLiveProcess(zombie));
});
