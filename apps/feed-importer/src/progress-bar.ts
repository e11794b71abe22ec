import { Presets, SingleBar } from 'cli-progress';
import type { ImportProgress } from './import-feed.service';

/** Progress on stderr by bytes read (the row count is unknown until the end); silent when not a TTY. */
export const createProgressBar = (label: string, dryRun: boolean) => {
  const bar = new SingleBar(
    {
      format: `${label} {bar} {percentage}% | {rows} rows | {published} ${dryRun ? 'valid' : 'sent'} | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 100,
      fps: 5,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p: ImportProgress): void => {
      const payload = {
        rows: p.rowsRead.toLocaleString('en-US'),
        published: p.published.toLocaleString('en-US'),
      };
      if (!started) {
        bar.start(p.totalBytes, p.bytesRead, payload);
        started = true;
      } else bar.update(p.bytesRead, payload);
    },
    stop: (): void => {
      if (started) bar.stop();
    },
  };
};
