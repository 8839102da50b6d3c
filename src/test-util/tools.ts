/**
 * External programs some tests drive: Debian's chromium (the trace viewer in a real browser)
 * and Graphviz's dot. Without them those tests are skipped, unless KMC_REQUIRE_TOOLS=1 (set by
 * .ci/run, which installs them): then a missing tool fails the test instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export const required = process.env['KMC_REQUIRE_TOOLS'] === '1';

export const hasChromium = existsSync(CHROMIUM);

export const hasDot = spawnSync('dot', ['-V'], { stdio: 'ignore' }).status === 0;

/** Launch arguments for a headless, offline, quiet chromium. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
