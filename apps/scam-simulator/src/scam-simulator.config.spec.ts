import { SimulatorUsageError, loadScamSimulatorConfig } from './scam-simulator.config';

describe('loadScamSimulatorConfig', () => {
  it('reads a file run with its defaults', () => {
    expect(loadScamSimulatorConfig(['--scenario', 'demo', '--out-dir', 'out'])).toEqual({
      help: false,
      config: {
        scenario: 'demo',
        seed: 42,
        outDir: 'out',
        truthOut: 'ground-truth.jsonl',
        progress: true,
      },
    });
  });

  it('splits brokers and scales background traffic', () => {
    const request = loadScamSimulatorConfig([
      '--scenario=standard',
      '--seed=7',
      '--brokers=a:9092, b:9092',
      '--transfers=5000',
      '--no-progress',
    ]);
    expect(request.help ? undefined : request.config).toMatchObject({
      seed: 7,
      brokers: ['a:9092', 'b:9092'],
      transfers: 5000,
      progress: false,
    });
  });

  it.each([
    [['--scenario', 'demo']],
    [['--scenario', 'demo', '--out-dir', 'x', '--brokers', 'a:1']],
    [['--scenario', 'huge', '--out-dir', 'x']],
    [['--scenario', 'demo', '--out-dir', 'x', '--seed', '-1']],
    [['--scenario', 'demo', '--out-dir', 'x', '--bogus']],
  ])('refuses %j', (argv) => {
    expect(() => loadScamSimulatorConfig(argv)).toThrow(SimulatorUsageError);
  });
});
