import { basename, join, parse as parsePath } from 'node:path';
import { checkAmlworldHeader, mapAmlworldRow } from './amlworld.mapper';
import {
  indexAmlsimNodeColumns,
  indexAmlsimTransactionColumns,
  mapAmlsimNode,
  mapAmlsimTransaction,
} from './amlsim.mapper';
import type { FeedImporterConfig } from './feed-importer.config';
import type { ImportJob } from './import-feed.service';
import { sourceTagOf } from './row-outcome';
import { checkSamlDHeader, mapSamlDRow } from './saml-d.mapper';

/** Turns the configuration into an import job: which file, which mapper, which outputs. */
export const importJobOf = (config: FeedImporterConfig): ImportJob => {
  const common = {
    batchSize: config.batchSize,
    ...(config.limit === undefined ? {} : { limit: config.limit }),
    ...(config.rate === undefined ? {} : { ratePerSecond: config.rate }),
    ...(config.labelsOut === undefined ? {} : { labelsOut: config.labelsOut }),
    ...(config.rejectsOut === undefined ? {} : { rejectsOut: config.rejectsOut }),
  };
  switch (config.format) {
    case 'amlworld': {
      const options = {
        sourceTag: config.sourceId ?? sourceTagOf(parsePath(config.input).name),
        country: config.country,
        rounding: config.rounding,
      };
      return {
        ...common,
        source: {
          format: 'amlworld',
          file: config.input,
          prepare: (header) => {
            const checked = checkAmlworldHeader(header);
            return checked.ok
              ? { ok: true, value: (fields, row) => mapAmlworldRow(fields, row, options) }
              : checked;
          },
        },
      };
    }
    case 'saml-d': {
      const options = {
        sourceTag: config.sourceId ?? sourceTagOf(parsePath(config.input).name),
        rounding: config.rounding,
      };
      return {
        ...common,
        source: {
          format: 'saml-d',
          file: config.input,
          prepare: (header) => {
            const checked = checkSamlDHeader(header);
            return checked.ok
              ? { ok: true, value: (fields, row) => mapSamlDRow(fields, row, options) }
              : checked;
          },
        },
      };
    }
    case 'amlsim': {
      const options = {
        sourceTag: config.sourceId ?? sourceTagOf(basename(config.input)),
        bankId: config.bank,
        currency: config.currency,
        country: config.country,
        startDate: config.startDate,
        rounding: config.rounding,
      };
      return {
        ...common,
        source: {
          format: 'amlsim',
          file: join(config.input, 'transactions.csv'),
          prepare: (header) => {
            const columns = indexAmlsimTransactionColumns(header);
            return columns.ok
              ? {
                  ok: true,
                  value: (fields, row) => mapAmlsimTransaction(fields, row, columns.value, options),
                }
              : columns;
          },
        },
        labelSource: {
          file: join(config.input, 'nodes.csv'),
          prepare: (header) => {
            const columns = indexAmlsimNodeColumns(header);
            return columns.ok
              ? { ok: true, value: (fields) => mapAmlsimNode(fields, columns.value, config.bank) }
              : columns;
          },
        },
      };
    }
  }
};
