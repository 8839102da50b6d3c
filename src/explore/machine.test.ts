import { describe, expect, it } from 'vitest';
import { Machine, alone, othersBusy, roomFor, type Reading } from './machine.ts';

const at = (wall: number, busy: number, own: number, cores = 2): Reading => ({ wall, busy, own, cores });

describe('the machine has room for a team', () => {
  it("counts the other processes' cores: the machine's busy time less this process's, over the window", () => {
    // 100 ms: the cores busy 180 ms in all, this process 100 ms of them
    expect(othersBusy(at(0, 0, 0), at(100, 180, 100))).toBeCloseTo(0.8);
    expect(othersBusy(at(0, 0, 0), at(100, 100, 110))).toBe(0);
  });

  it('a team of two threads on two cores: room while the others take at most half a core', () => {
    expect(roomFor(2, 2, 0.5)).toBe(true);
    expect(roomFor(2, 2, 0.6)).toBe(false);
    expect(roomFor(2, 4, 2.4)).toBe(true);
    expect(roomFor(3, 4, 1.6)).toBe(false);
    // os.cpus() lists none on some platforms: nothing known against the team
    expect(roomFor(2, 0, 0)).toBe(true);
  });

  it('answers about the last window of 100 ms and more that ended, that window alone (no room before the first)', () => {
    let now = 0;
    const readings = [at(0, 0, 0), at(100, 200, 100), at(250, 360, 250)];
    const m = new Machine(() => readings.shift()!, () => now);
    now = 50;
    expect(m.roomFor(2)).toBe(false);
    now = 100;
    expect(m.roomFor(2)).toBe(false);   // others: 100 ms of 100
    now = 250;
    expect(m.roomFor(2)).toBe(true);    // others: 10 ms of 150
    now = 300;
    expect(m.roomFor(2)).toBe(true);    // the same window's answer
    expect(readings).toEqual([]);
  });

  it('alone: nothing but this process runs', () => {
    const a = alone();
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    expect(othersBusy(a, alone())).toBe(0);
    expect(x).toBeGreaterThan(0);
  });
});
