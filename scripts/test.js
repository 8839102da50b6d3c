// `npm test`: the type check (tsc --noEmit) and the test suite (vitest run) side by side, so that
// the type check uses the core the suite leaves idle at its start; fails if either fails. The
// type check's output is printed when it ends (it prints only errors); arguments go to vitest.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const run = (name, args, pipe) => new Promise((done) => {
  const child = spawn(bin(name), args, { stdio: ['inherit', pipe ? 'pipe' : 'inherit', pipe ? 'pipe' : 'inherit'] });
  let out = '';
  if (pipe) { child.stdout.on('data', (d) => (out += d)); child.stderr.on('data', (d) => (out += d)); }
  child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), out }));
});

const [types, suite] = await Promise.all([run('tsc', ['--noEmit'], true), run('vitest', ['run', ...process.argv.slice(2)], false)]);
if (types.code !== 0) process.stdout.write(`\ntsc --noEmit failed (exit ${types.code}):\n${types.out}`);
process.exitCode = types.code !== 0 ? types.code : suite.code;
