/**
 * `node bin/run-ts.js bench/discoveries.ts [model-substring]`: every configuration of every
 * shipped model (up to 200,000 states), each property's answer from one search that goes on
 * past violations (`--continue`) against a search for that property alone: verdict, witnesses
 * and trace. The unit test (`src/check/discoveries.test.ts`) does the small configurations.
 */
import { check, propertyReport, type Report } from '../src/check/check.ts';
import { loadModel, shippedModels } from '../src/cli/load-model.ts';
import { resolveParams } from '../src/state/instance.ts';
import { DEADLOCK } from '../src/model/property.ts';

const brief = (r: Report): string => JSON.stringify({ v: r.verdict, w: [...r.witnesses], t: r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`) });
const only = process.argv[2], maxStates = 200_000;
let compared = 0, differ = 0;
for (const name of shippedModels()) {
  if (only !== undefined && !name.includes(only)) continue;
  const model = await loadModel(name);
  for (const config of model.configurations ?? [{}]) {
    const params = resolveParams(model, config as Record<string, string | number | boolean>);
    const all = check(model, { params, continue: true, maxStates });
    for (const p of [DEADLOCK, ...all.instance.properties.map((x) => x.name)]) {
      const alone = brief(check(model, { params, property: p, maxStates })), mine = brief(propertyReport(all, p));
      compared++;
      if (alone !== mine) { differ++; console.log(`DIFF ${name} ${JSON.stringify(config)} ${p}\n  alone ${alone.slice(0, 300)}\n  one   ${mine.slice(0, 300)}`); }
    }
  }
}
console.log(`${compared} properties compared, ${differ} differ`);
process.exitCode = differ ? 1 : 0;
