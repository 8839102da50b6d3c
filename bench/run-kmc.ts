/** One measured run in a fresh process: `run-kmc.ts <fast|reference> <model> <n>` → one JSON line. */
import { instantiate } from '../src/state/instance.ts';
import { FastBfs } from '../src/explore/bfs.ts';
import { ReferenceBfs } from '../src/explore/reference.ts';
import { buildGraph } from '../src/explore/graph.ts';
import { drain } from '../src/explore/options.ts';
import { loadModel } from '../src/cli/load-model.ts';

const [explorer, model, n] = process.argv.slice(2) as [string, string, string];
const inst = instantiate(await loadModel(model), { n: Number(n) });
global.gc?.();
const before = process.memoryUsage().rss;
if (explorer === 'graph') {
  // the liveness state graph (every edge kept), as `kmc check` builds it for leadsTo properties
  const t0 = performance.now();
  const g = drain(buildGraph(inst, []));
  const seconds = (performance.now() - t0) / 1000, peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ states: g.n, transitions: g.transitions, seconds, graphBytesPerState: g.bytes / g.n, residentBytesPerState: (peak - before) / g.n }));
} else {
  const r = drain((explorer === 'reference' ? new ReferenceBfs(inst, { deadlock: false }) : new FastBfs(inst, { deadlock: false })).run());
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ ...r.stats, verdict: r.verdict.kind, residentBytesPerState: (peak - before) / r.stats.states }));
}
