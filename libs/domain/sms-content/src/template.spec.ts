import { renderTemplate, templateVariables } from './template';

const lenient = { refuseUnusedVariables: false, maxVariableLength: 10 };
const strict = { refuseUnusedVariables: true, maxVariableLength: 10 };

describe('renderTemplate', () => {
  it('fills every placeholder, spaces inside the braces allowed, repeated ones too', () => {
    expect(
      renderTemplate(
        'Hi {{name}}, code {{ code }}. Bye {{name}}',
        { name: 'Ann', code: '42' },
        strict,
      ),
    ).toEqual({ ok: true, content: 'Hi Ann, code 42. Bye Ann' });
  });

  it('leaves a template without placeholders as it is', () => {
    expect(renderTemplate('Hello', {}, strict)).toEqual({ ok: true, content: 'Hello' });
  });

  it.each([
    ['a missing variable', 'Hi {{name}}', {}, lenient, 'name', 'variable "name" is not supplied'],
    ['an empty value', 'Hi {{name}}', { name: '' }, lenient, 'name', 'variable "name" is empty'],
    ['a blank value', 'Hi {{name}}', { name: '  ' }, lenient, 'name', 'variable "name" is empty'],
    [
      'a value too long',
      'Hi {{name}}',
      { name: 'x'.repeat(11) },
      lenient,
      'name',
      'variable "name" is 11 characters; at most 10',
    ],
    [
      'an unused variable where the type forbids it',
      'Code {{code}}',
      { code: '1', extra: 'x' },
      strict,
      'extra',
      'variable "extra" is supplied but the template does not use it',
    ],
    [
      'a malformed placeholder',
      'Hi {{ 1st }}',
      {},
      lenient,
      '{{ 1st }}',
      'template has a malformed placeholder "{{ 1st }}" (expected {{name}})',
    ],
    ['an unclosed placeholder', 'Hi {{name}', { name: 'a' }, lenient, '{{name}', undefined],
    [
      'a name inherited from Object is not a value',
      'Hi {{constructor}}',
      {},
      lenient,
      'constructor',
      'variable "constructor" is not supplied',
    ],
  ])('refuses %s', (_, template, variables, rules, variable, detail) => {
    const result = renderTemplate(template, variables, rules);
    expect(result).toMatchObject({ ok: false, variable });
    if (detail) expect(result).toMatchObject({ detail });
  });

  it('counts a value length in characters, not UTF-16 units', () => {
    expect(renderTemplate('{{e}}', { e: '👍'.repeat(10) }, lenient)).toEqual({
      ok: true,
      content: '👍'.repeat(10),
    });
  });

  it('allows unused variables where the type does', () => {
    expect(renderTemplate('Hi', { extra: 'x' }, lenient)).toEqual({ ok: true, content: 'Hi' });
  });

  it('does not read placeholders inside values', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}' }, lenient)).toEqual({
      ok: true,
      content: '{{b}}',
    });
  });

  it('lists the variables a template uses once each', () => {
    expect(templateVariables('{{a}} {{b}} {{ a }}')).toEqual(['a', 'b']);
  });
});
