import { TOPICS } from '@scamflow/contracts';
import { ConfigError } from '@scamflow/config';
import { DryRunSink, type FeedSink } from './feed.sink';
import { FEED_IMPORTER_USAGE, loadFeedImporterConfig } from './feed-importer.config';
import { ImportFeedService } from './import-feed.service';
import { importJobOf } from './import-job';
import { formatImportSummary } from './import-summary';
import { KafkaFeedSink } from './kafka-feed.sink';
import { createProgressBar } from './progress-bar';

const run = async (): Promise<number> => {
  const request = loadFeedImporterConfig(process.argv.slice(2));
  if (request.help) {
    console.log(FEED_IMPORTER_USAGE);
    return 0;
  }
  const { config } = request;
  const sink: FeedSink = config.dryRun
    ? new DryRunSink()
    : new KafkaFeedSink(config.brokers, TOPICS.bankTransferReceived);
  const bar = config.progress ? createProgressBar(config.format, config.dryRun) : undefined;
  try {
    const summary = await new ImportFeedService(sink).execute(importJobOf(config), bar?.update);
    bar?.stop();
    console.log(formatImportSummary(summary));
    if (!config.dryRun) console.log(`  topic ${TOPICS.bankTransferReceived} at ${config.brokers.join(',')}`);
    return 0;
  } finally {
    bar?.stop();
    await sink.close();
  }
};

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error('feed-importer failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
