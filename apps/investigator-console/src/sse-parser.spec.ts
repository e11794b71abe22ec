import { SseParser } from './sse-parser';

describe(SseParser.name, () => {
  it('dispatches an event at a blank line, with its type, multi-line data and id', () => {
    const parser = new SseParser();
    const events = parser.push('id: 7\nevent: alert\ndata: {"a":1,\ndata: "b":2}\n\n');
    expect(events).toEqual([{ event: 'alert', data: '{"a":1,\n"b":2}', id: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('joins events split across chunks anywhere, including inside a CRLF', () => {
    const parser = new SseParser();
    const text = 'id: 1\r\ndata: first\r\n\r\n: keep-alive\r\nid: 2\r\ndata: second\r\n\r\n';
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events.map((e) => [e.id, e.data])).toEqual([
      ['1', 'first'],
      ['2', 'second'],
    ]);
  });

  it('ignores comments and events without data, and keeps the last id for resuming', () => {
    const parser = new SseParser();
    expect(parser.push(': ping\n\nid: 9\n\nretry: 1500\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('9');
    expect(parser.retryMs).toBe(1500);
    expect(parser.push('data: x\n\n')).toEqual([{ event: 'message', data: 'x', id: '9' }]);
  });
});
