import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePacs008Document, parsePacs008Xml } from './pacs008.parser';

const fixture = (name: string): Buffer =>
  readFileSync(join(__dirname, '../../../libs/contracts/fixtures/pacs008', name));

const MAX_BYTES = 1024 * 1024;

describe(parsePacs008Xml.name, () => {
  it('reads default-namespace and prefixed documents into the same shape, amounts as exact strings', () => {
    const single = parsePacs008Document(fixture('valid-single.xml'), MAX_BYTES);
    const multiple = parsePacs008Document(fixture('valid-multiple.xml'), MAX_BYTES);

    expect(single.ok && single.value.Document.FIToFICstmrCdtTrf.CdtTrfTxInf).toEqual([
      expect.objectContaining({ IntrBkSttlmAmt: { '#text': '49999.50', '@Ccy': 'THB' } }),
    ]);
    const amounts = multiple.ok
      ? multiple.value.Document.FIToFICstmrCdtTrf.CdtTrfTxInf.map((tx) => tx.IntrBkSttlmAmt)
      : [];
    expect(amounts).toEqual([
      { '#text': '1250.5', '@Ccy': 'EUR' },
      { '#text': '150000', '@Ccy': 'JPY' },
      { '#text': '20.00', '@Ccy': 'USD' },
    ]);
  });

  it.each([['invalid-billion-laughs.xml'], ['invalid-doctype-external-entity.xml']])(
    'refuses %s before parsing because it declares a DOCTYPE',
    (file) => {
      expect(parsePacs008Xml(fixture(file), MAX_BYTES)).toEqual({
        ok: false,
        reason: expect.stringMatching(/DOCTYPE or entity declaration is refused/) as unknown,
      });
    },
  );

  it('refuses an entity declaration however the DOCTYPE keyword is spelled', () => {
    const sneaky = Buffer.from('<?xml version="1.0"?><!doctype a [<! ENTITY x "y">]><a>&x;</a>');
    expect(parsePacs008Xml(sneaky, MAX_BYTES)).toMatchObject({ ok: false, reason: /DOCTYPE/ });
  });

  it('refuses malformed XML with the line and column at fault', () => {
    expect(parsePacs008Xml(fixture('invalid-malformed.xml'), MAX_BYTES)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^malformed XML at line 13, column \d+: .*CdtTrfTxInf/) as unknown,
    });
    expect(parsePacs008Xml(Buffer.from('<Document></Document>trailing'), MAX_BYTES)).toMatchObject({
      ok: false,
      reason: /malformed XML/,
    });
  });

  it('refuses empty, oversized and non-UTF-8 values unread', () => {
    expect(parsePacs008Xml(null, MAX_BYTES)).toEqual({ ok: false, reason: 'empty message value' });
    expect(parsePacs008Xml(fixture('valid-single.xml'), 1024)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^message value is \d+ bytes, above the 1024-byte limit$/) as unknown,
    });
    const latin1 = Buffer.from('<Document><MsgId>caf\u00e9</MsgId></Document>', 'latin1');
    expect(parsePacs008Xml(latin1, MAX_BYTES)).toEqual({
      ok: false,
      reason: 'message value is not valid UTF-8',
    });
  });

  it('refuses nesting far deeper than any pacs.008', () => {
    const deep = Buffer.from(`${'<a>'.repeat(200)}x${'</a>'.repeat(200)}`);
    expect(parsePacs008Xml(deep, MAX_BYTES)).toMatchObject({ ok: false, reason: /malformed XML/ });
  });
});

describe(parsePacs008Document.name, () => {
  it('names the missing element when the XML is well-formed but not a usable pacs.008', () => {
    expect(parsePacs008Document(fixture('invalid-missing-amount.xml'), MAX_BYTES)).toEqual({
      ok: false,
      reason: expect.stringContaining('CdtTrfTxInf[0].IntrBkSttlmAmt') as unknown,
    });
  });

  it('refuses another message type under Document', () => {
    const pacs009 = Buffer.from(
      '<Document><FICdtTrf><GrpHdr><MsgId>M1</MsgId></GrpHdr></FICdtTrf></Document>',
    );
    expect(parsePacs008Document(pacs009, MAX_BYTES)).toMatchObject({
      ok: false,
      reason: /FIToFICstmrCdtTrf/,
    });
  });
});
