import { SeededRandom } from './seeded-random';

describe(SeededRandom.name, () => {
  it('repeats its sequence for the same seed and differs for another seed', () => {
    const draw = (seed: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => rng.int(0, 1_000_000));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps integers and minor units inside their bounds', () => {
    const rng = new SeededRandom(7);
    for (let i = 0; i < 1000; i += 1) {
      const n = rng.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
      const m = rng.minor(100n, 200n);
      expect(m >= 100n && m <= 200n).toBe(true);
    }
  });
});
