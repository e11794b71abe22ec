import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  Pacs008DocumentSchema,
  XML_OBJECT_SHAPE,
  parseWith,
  type Pacs008Document,
  type ParseResult,
} from '@scamflow/contracts';

/** pacs.008 nests about ten levels deep; anything far deeper is hostile or not a pacs.008. */
const MAX_NESTED_TAGS = 32;

// A DOCTYPE is where entities (billion laughs) and external entities (XXE) are declared; ISO 20022 messages
// never carry one, so it is refused before any parser sees the document.
const DTD_DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: XML_OBJECT_SHAPE.attributePrefix,
  textNodeName: XML_OBJECT_SHAPE.textNode,
  removeNSPrefix: true,
  // Amounts and identifiers stay strings: "10.50" must not become the float 10.5, nor "00123" the number 123.
  parseTagValue: false,
  parseAttributeValue: false,
  // Second line of defence behind the DOCTYPE check: no entity is ever expanded.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_NESTED_TAGS,
});

/**
 * Turns the bytes of an XML message into a plain object (see `XML_OBJECT_SHAPE`), refusing hostile or malformed
 * input with a reason: empty or oversized values, bytes that are not UTF-8 (ISO 20022 messages are UTF-8), DTDs
 * and entity declarations, and documents that are not well-formed. The object is not yet a pacs.008: the caller
 * validates it with `Pacs008DocumentSchema`.
 */
export const parsePacs008Xml = (bytes: Buffer | null, maxBytes: number): ParseResult<unknown> => {
  if (bytes === null || bytes.length === 0) return { ok: false, reason: 'empty message value' };
  if (bytes.length > maxBytes) {
    return { ok: false, reason: `message value is ${bytes.length} bytes, above the ${maxBytes}-byte limit` };
  }
  let xml: string;
  try {
    xml = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'message value is not valid UTF-8' };
  }
  if (DTD_DECLARATION.test(xml)) {
    return {
      ok: false,
      reason: 'XML with a DOCTYPE or entity declaration is refused (entity expansion / external entity risk)',
    };
  }
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    return { ok: false, reason: `malformed XML at line ${line}, column ${col}: ${msg}` };
  }
  try {
    return { ok: true, value: parser.parse(xml) as unknown };
  } catch (error) {
    return { ok: false, reason: `malformed XML: ${error instanceof Error ? error.message : String(error)}` };
  }
};

/** Bytes of a Kafka message → a validated pacs.008 document, or the reason it is refused. */
export const parsePacs008Document = (
  bytes: Buffer | null,
  maxBytes: number,
): ParseResult<Pacs008Document> => {
  const xml = parsePacs008Xml(bytes, maxBytes);
  return xml.ok ? parseWith(Pacs008DocumentSchema, xml.value) : xml;
};
