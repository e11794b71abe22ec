import { EventTimeWatermark } from './event-time-watermark';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T12:00:00Z');

describe(EventTimeWatermark.name, () => {
  it('is unknown until a partition delivers a transfer', () => {
    const watermark = new EventTimeWatermark(60_000);
    watermark.observe('committed:0', [], NOW);
    expect(watermark.current(NOW)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('follows the slowest partition, not the fastest, while a replay drains', () => {
    const watermark = new EventTimeWatermark(60_000);
    watermark.observe('committed:0', [NOW - 30 * DAY, NOW - 2 * DAY], NOW);
    watermark.observe('committed:1', [NOW - 29 * DAY, NOW - 26 * DAY], NOW);
    expect(watermark.current(NOW)).toBe(NOW - 26 * DAY);
    watermark.observe('committed:1', [NOW - 20 * DAY], NOW + 1_000);
    expect(watermark.current(NOW + 1_000)).toBe(NOW - 20 * DAY);
  });

  it('never runs ahead of the clock, and never goes back', () => {
    const watermark = new EventTimeWatermark(60_000);
    watermark.observe('committed:0', [NOW + DAY], NOW);
    expect(watermark.current(NOW)).toBe(NOW);
    // A partition joining late (a rebalance) with older transfers does not move the watermark back.
    watermark.observe('committed:1', [NOW - 5 * DAY], NOW + 1_000);
    expect(watermark.current(NOW + 1_000)).toBe(NOW);
  });

  it('stops waiting for a partition that has delivered nothing for the idle time', () => {
    const watermark = new EventTimeWatermark(60_000);
    watermark.observe('committed:0', [NOW - 10 * DAY], NOW);
    watermark.observe('committed:1', [NOW - DAY], NOW);
    expect(watermark.current(NOW + 30_000)).toBe(NOW - 10 * DAY);
    watermark.observe('committed:1', [NOW - DAY + 1_000], NOW + 61_000);
    expect(watermark.current(NOW + 61_000)).toBe(NOW - DAY + 1_000);
  });
});
