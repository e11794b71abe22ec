import { errorSummary } from './describe-error';

describe(errorSummary.name, () => {
  it('names the class, message and every cause of an error', () => {
    const cause = new SyntaxError('Unexpected token } in JSON');
    const error = new Error('handling t/0@1..2 failed', { cause });
    expect(errorSummary(error)).toBe(
      'Error: handling t/0@1..2 failed <- SyntaxError: Unexpected token } in JSON',
    );
  });

  it('shows a plain object thrown by a framework as JSON, never [object Object]', () => {
    expect(errorSummary({ status: 'error', message: 'Internal server error' })).toBe(
      'object: {"status":"error","message":"Internal server error"}',
    );
  });
});
